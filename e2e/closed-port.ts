/** Ports for an upstream that is configured but down. */
import { createServer } from 'node:net';

/** A port on 127.0.0.1 that was free a moment ago and has no listener now. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}
