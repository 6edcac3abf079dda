/**
 * A redundant pair whose backup is Suspended (ServerStatus/State, Part 5 §12.6: it transfers no data;
 * a server still booting) while it says ServiceLevel 255, as node-opcua's and many servers do, not
 * computing one. The console must not show it as a standby ready to take over, and the station must
 * not switch to it when the primary degrades; once it runs, it is a standby again and taken.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerState } from 'node-opcua';
import { startRedundantPair, type RedundantPair } from './testing/redundant-pair.js';
import { until } from './testing/harness.js';

describe('redundant server: a backup whose ServerState is Suspended', () => {
  let pair: RedundantPair;
  const backupState = () => pair.last()?.endpoints?.find((e) => e.url === pair.servers.backup.endpoint);

  beforeAll(async () => {
    pair = await startRedundantPair({
      name: 'standby-suspended', tickMs: 200, publishingIntervalMs: 200, probeIntervalMs: 300, failbackAfterMs: 1500, staleAfterMs: 2000,
      before: (servers) => servers.backup.server.engine.setServerState(ServerState.Suspended),
    });
    await until('connected to the primary', () => pair.last()?.state === 'connected' && pair.last().endpoint === pair.servers.primary.endpoint, 60_000);
  }, 120_000);

  afterAll(async () => {
    await pair?.stop();
  });

  it('shows the backup not usable, saying its state, though its ServiceLevel is 255', async () => {
    const backup = await until('the backup probed', () => {
      const b = backupState();
      return b && b.reachable !== null ? b : null;
    }, 30_000);
    expect(backup.reachable).toBe(false);
    expect(backup.errorText).toMatchObject({ key: 'acquisition.error.serverNotRunning', params: { state: 'Suspended' } });
    const warned = pair.station.logs.filter((l) => l.msg === 'standby endpoint not usable: no failover to it');
    expect(warned).toHaveLength(1);
    expect(String(warned[0]!.err)).toMatch(/ServerState Suspended/);
  }, 60_000);

  it('does not switch to it when the primary degrades, and takes it once it runs', async () => {
    const { servers, station: t } = pair;
    servers.primary.setServiceLevel(150);
    // The backup looked at twice more after the drop was seen (each probe of a standby not usable opens a
    // session to it): a switch, had it been tried, would have been by then.
    await until('the primary\'s drop seen', () => pair.last().endpoints?.find((e) => e.active)?.serviceLevel === 150, 20_000);
    const sessions = () => servers.backup.server.engine.serverDiagnosticsSummary.cumulatedSessionCount;
    const before = sessions();
    await until('two more probes of the backup', () => sessions() >= before + 2, 30_000);
    expect(t.logs.filter((l) => l.msg === 'switch of endpoint failed')).toEqual([]);
    expect(pair.last().endpoint).toBe(servers.primary.endpoint);
    servers.backup.server.engine.setServerState(ServerState.Running);
    await until('switched to the backup once it runs', () => pair.last().state === 'connected' && pair.last().endpoint === servers.backup.endpoint, 60_000);
    expect(backupState()).toMatchObject({ reachable: true, serviceLevel: 255, active: true });
    expect(t.logs.filter((l) => l.msg === 'switch of endpoint failed')).toEqual([]);
  }, 120_000);
});
