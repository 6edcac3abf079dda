/**
 * A redundant pair whose primary announces its shutdown (ServerStatus/State Shutdown with
 * SecondsTillShutdown, Part 5 §12.10: "to allow these Clients an orderly disconnect") while its
 * ServiceLevel stays 255, as node-opcua's and many servers leave it. The station leaves it for the
 * backup before it goes (make before break): no loss, no gap, every plant value once; no failback to
 * it while it shuts down, and back to it once it runs again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerState } from 'node-opcua';
import { startRedundantPair, type RedundantPair } from './testing/redundant-pair.js';
import { until, untilAsync } from './testing/harness.js';
import { stateCheck } from './server-run-state.js';

describe('redundant server: the primary announces its shutdown', () => {
  let pair: RedundantPair;
  const defaults = { ...stateCheck };
  let written = 0;

  beforeAll(async () => {
    stateCheck.everyMs = 200;
    pair = await startRedundantPair({
      name: 'shutdown-switch', tickMs: 200, publishingIntervalMs: 200, probeIntervalMs: 300, failbackAfterMs: 1500, staleAfterMs: 2000,
      onTick: (n) => { written = n; },
    });
    await until('connected to the primary', () => pair.last()?.state === 'connected' && pair.last().endpoint === pair.servers.primary.endpoint, 60_000);
  }, 120_000);

  afterAll(async () => {
    Object.assign(stateCheck, defaults);
    await pair?.stop();
  });

  it('switches to the backup before the primary goes, with no loss and no gap', async () => {
    const { servers, station: t, ledger } = pair;
    const primary = servers.primary.server.engine;
    primary.setShutdownTime(new Date(Date.now() + 120_000));
    primary.setServerState(ServerState.Shutdown);
    await until('switched to the backup', () => pair.last().state === 'connected' && pair.last().endpoint === servers.backup.endpoint, 30_000);
    const after = written;
    await until('values from the backup after the switch', () => t.samples.some((s) => s.tag === 'Level' && s.status === 0 && (s.value as number) > after + 2), 20_000);
    const entries = await ledger();
    expect(entries.filter((e) => e.kind === 'gap')).toEqual([]);
    expect(entries.filter((e) => e.kind === 'failover')).toMatchObject([{ endpoint: servers.primary.endpoint, toEndpoint: servers.backup.endpoint, cause: 'shutdown' }]);
    expect(t.states.filter((s) => s.state === 'lost')).toEqual([]);
    const level = t.samples.filter((s) => s.tag === 'Level');
    expect(level.filter((s) => s.status !== 0)).toEqual([]);
    // Each plant value once, in order, across the switch (the seam).
    const values = level.map((s) => s.value as number);
    expect(new Set(values).size).toBe(values.length);
    expect([...values].sort((a, b) => a - b)).toEqual(values);
    // The primary shown not usable, saying it shuts down.
    expect(pair.last().endpoints?.find((e) => e.url === servers.primary.endpoint)?.errorText)
      .toMatchObject({ key: 'acquisition.error.serverNotRunning', params: { state: 'Shutdown' } });
  }, 60_000);

  it('does not fail back while the primary shuts down, and does once it runs again', async () => {
    const { servers, station: t } = pair;
    // Its probe opens a session at each look while it is not usable: two more looks, well past failbackAfterMs.
    const sessions = () => servers.primary.server.engine.serverDiagnosticsSummary.cumulatedSessionCount;
    const before = sessions();
    await until('two more probes of the primary', () => sessions() >= before + 2, 30_000);
    const switches = t.logs.filter((l) => l.msg === 'switched endpoint');
    expect(switches).toHaveLength(1);
    expect(pair.last().endpoint).toBe(servers.backup.endpoint);
    servers.primary.server.engine.setServerState(ServerState.Running);
    await until('failed back to the primary', () => pair.last().state === 'connected' && pair.last().endpoint === servers.primary.endpoint, 60_000);
    await untilAsync('the failback in the ledger', async () => (await pair.ledger()).find((e) => e.kind === 'failover' && e.cause === 'failback'));
  }, 120_000);
});
