/**
 * A TCP proxy between the station and a test server whose cable can be pulled: cut() drops every
 * connection and refuses new ones until restore(). The server goes on meanwhile, as a plant does.
 * delayMs holds each chunk that long each way (a server at another site); { toClient, toServer }
 * holds each way its own time (a link slow one way: what the server sends, its values, travels
 * late), from the start or from the client's first read of the server's clock on (ProxyDelay.from).
 */
import net from 'node:net';

export interface TestProxy {
  port: number;
  cut(): void;
  restore(): void;
  close(): void;
}

export interface ProxyDelay {
  /** What the server sends (responses, publishes). */
  toClient: number;
  /** What the client sends (requests). */
  toServer: number;
  /**
   * 'clockRead': nothing is held until the client reads the server's CurrentTime (the station
   * measures the server's clock first thing after its session opens, server-clock.ts): that read's
   * response and everything after it (every publish) are late, the handshake before it is not.
   * Security None only: the proxy reads each request in clear.
   */
  from?: 'start' | 'clockRead';
}

/** ReadRequest_Encoding_DefaultBinary and Server_ServerStatus_CurrentTime as four-byte NodeIds in ns 0 (OPC UA Part 6). */
const READ_REQUEST = Buffer.from([0x01, 0x00, 631 & 0xff, 631 >> 8]);
const CURRENT_TIME = Buffer.from([0x01, 0x00, 2258 & 0xff, 2258 >> 8]);

/** A whole unsecured MSG chunk that reads the server's CurrentTime. */
function readsCurrentTime(msg: Buffer): boolean {
  // 'MSG' + chunk type, size, channel id, token id, sequence number, request id (24 bytes), then the body's type id.
  return msg.toString('latin1', 0, 3) === 'MSG' && msg.subarray(24, 28).equals(READ_REQUEST) && msg.includes(CURRENT_TIME, 28);
}

/**
 * Watches what the client sends, message by message (8-byte header: type, chunk type, size), for
 * its read of CurrentTime; calls `found` before that message goes on. Afterwards only relays.
 */
function watchForClockRead(found: () => void): (d: Buffer) => void {
  let pending: Buffer | null = Buffer.alloc(0);
  return (d) => {
    if (!pending) return;
    pending = Buffer.concat([pending, d]);
    while (pending && pending.length >= 8) {
      const size = pending.readUInt32LE(4);
      if (size < 8 || pending.length < size) break;
      if (readsCurrentTime(pending.subarray(0, size))) {
        found();
        pending = null;
      } else {
        pending = pending.subarray(size);
      }
    }
  };
}

export async function startProxy(targetPort: number, delayMs: number | ProxyDelay = 0): Promise<TestProxy> {
  const delay: ProxyDelay = typeof delayMs === 'number' ? { toClient: delayMs, toServer: delayMs } : delayMs;
  const sockets = new Set<net.Socket>();
  let up = true;
  const server = net.createServer((client) => {
    if (!up) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    if (delay.toClient > 0 || delay.toServer > 0) {
      let late = delay.from !== 'clockRead';
      const watch = late ? null : watchForClockRead(() => (late = true));
      const hold = (to: net.Socket, d: Buffer, ms: number) => {
        if (late && ms > 0) setTimeout(() => to.writable && to.write(d), ms);
        else if (to.writable) to.write(d);
      };
      client.on('data', (d: Buffer) => {
        watch?.(d);
        hold(upstream, d, delay.toServer);
      });
      upstream.on('data', (d: Buffer) => hold(client, d, delay.toClient));
    } else {
      client.pipe(upstream);
      upstream.pipe(client);
    }
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const s of [client, upstream]) {
      s.on('error', end);
      s.on('close', end);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      up = false;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    restore() {
      up = true;
    },
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}
