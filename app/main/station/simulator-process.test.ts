/**
 * The built-in simulator is a real child process: a demo plant whose
 * simulator dies is started again on the same port, and stopping the
 * console stops it for good.
 */
import { describe, expect, it } from 'vitest';
import { OPCUAClient } from 'node-opcua';
import { silentLogger } from '../log.js';
import { createServer, type AddressInfo } from 'node:net';
import { SimulatorPortInUseError, startSimulatorProcess } from './simulator-process.js';

async function reachable(endpoint: string): Promise<boolean> {
  const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 } });
  try {
    await client.connect(endpoint);
    await client.disconnect();
    return true;
  } catch {
    return false;
  }
}

describe('simulator process', () => {
  it('starts the simulator again on the same port when it dies, and stops it for good on stop', { timeout: 240_000 }, async () => {
    const sim = await startSimulatorProcess({ port: 0, seed: 2, logger: silentLogger(), restartDelayMs: 200 });
    try {
      const first = sim.pid;
      expect(await reachable(sim.endpoint)).toBe(true);
      process.kill(first, 'SIGKILL');
      const deadline = Date.now() + 90_000;
      while ((sim.pid === first || !(await reachable(sim.endpoint))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(sim.pid).not.toBe(first);
      expect(await reachable(sim.endpoint)).toBe(true);
    } finally {
      await sim.stop();
    }
    expect(await reachable(sim.endpoint)).toBe(false);
  });

  it('a port another program holds: a SimulatorPortInUseError that names the address and the way out, no stack trace', { timeout: 120_000 }, async () => {
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const port = (holder.address() as AddressInfo).port;
    try {
      const err = await startSimulatorProcess({ port, seed: 2, logger: silentLogger() }).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(SimulatorPortInUseError);
      expect((err as Error).message).toBe(`the built-in simulator cannot listen on 127.0.0.1:${port}: the port is in use (another Vigil console, or another OPC UA server). ` +
        'Stop that program, or start this one with --simulator-port N (another port)');
    } finally {
      await new Promise((r) => holder.close(r));
    }
  });
});
