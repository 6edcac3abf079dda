/**
 * The station as `npm start` composes it (bootStation): what the station itself does to an alarm
 * reaches the audit trail. Spec: shelving is "audited"; README: "shelve expiry is audited by the
 * station". A one-shot shelve ended by the alarm's return is such an action (no user made it).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { bootStation, type RunningStation } from '../station/boot.js';
import { parseStartArgs } from '../args.js';
import { silentLogger } from '../log.js';
import type { AccountsModule } from '../accounts/module.js';
import type { AlarmsModule } from './module.js';
import { fixtureRaw } from './engine/testing.js';

let dir: string;
let running: RunningStation | null;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-alarm-audit-'));
  const raw = fixtureRaw();
  raw.servers[0]!.endpoint = 'opc.tcp://127.0.0.1:1/none'; // nothing listens: no data but what the test gives
  writeFileSync(join(dir, 'station.yaml'), stringify(raw));
  running = null;
});

afterEach(async () => {
  await running?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the booted station audits what it does to alarms', () => {
  it('a one-shot shelve ended by the return to normal is in audit.sqlite as the station\'s action', async () => {
    const args = parseStartArgs(['--data', join(dir, 'data'), '--config', join(dir, 'station.yaml'), '--no-simulator', '--browser']);
    running = await bootStation(args, 'browser', silentLogger());
    const alarms = running.station.module<AlarmsModule>('alarms')!;
    const audit = running.station.module<AccountsModule>('accounts')!.audit;
    alarms.engine.ingest([{ tag: 'XI-1', t: Date.now(), value: 60, status: 0 }]);
    alarms.engine.shelve('XI-1/limit', { minutes: null, maxMinutes: 60, reason: 'valve stroke test', by: 'op1' });
    alarms.engine.ingest([{ tag: 'XI-1', t: Date.now(), value: 40, status: 0 }]);
    await expect.poll(() => alarms.journal.read(0, 100).map((e) => `${e.event} ${e.user}`), { timeout: 2000 }).toContain('unshelved null');
    const entries = audit.read(0, 100).filter((e) => e.action === 'alarms.unshelved');
    expect(entries).toMatchObject([{ action: 'alarms.unshelved', target: 'XI-1/limit', user: null, result: 'ok', source: 'station' }]);
  });
});
