/**
 * A TCP proxy between the station and a test server whose cable can be pulled: cut() drops every
 * connection and refuses new ones until restore(). The server goes on meanwhile, as a plant does.
 * delayMs holds each chunk that long each way (a server at another site).
 */
import net from 'node:net';

export interface TestProxy {
  port: number;
  cut(): void;
  restore(): void;
  close(): void;
}

export async function startProxy(targetPort: number, delayMs = 0): Promise<TestProxy> {
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
    if (delayMs > 0) {
      const relay = (from: net.Socket, to: net.Socket) => from.on('data', (d) => setTimeout(() => to.writable && to.write(d), delayMs));
      relay(client, upstream);
      relay(upstream, client);
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
