/**
 * tags.add through the console API against a real server: a variable the station may not read (its
 * AccessLevel, or its UserAccessLevel for the station's user, without CurrentRead: Part 3 §5.6.2)
 * is refused with the browse panel's own words, whether the call comes from a stale panel or
 * straight to the API; nothing of the call is written to the config. A readable variable is added.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType } from 'node-opcua';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

const NS = 'nsu=urn:vigil:test:plant;';

const yaml = (endpoint: string) => `station: { name: N, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${endpoint}", backfill: false, publishingIntervalMs: 100, staleAfterMs: 2000 }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "${NS}s=Level", kind: analog, area: A }
`;

describe('tags.add of a variable the station may not read', () => {
  let dir: string;
  let server: TestServer;
  let t: TestStation;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-add-unreadable-'));
    server = await startTestServer({
      role: 'add-unreadable', dir,
      build: (ns, as) => {
        const plant = ns.addFolder(as.rootFolder.objects, { browseName: 'Plant', nodeId: 's=Plant' });
        const value = { dataType: DataType.Double, value: 7.5 };
        ns.addVariable({ componentOf: plant, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', value });
        ns.addVariable({ componentOf: plant, browseName: 'Flow', nodeId: 's=Flow', dataType: 'Double', value });
        ns.addVariable({ componentOf: plant, browseName: 'Secret', nodeId: 's=Secret', dataType: 'Double', value, accessLevel: 'CurrentWrite', userAccessLevel: 'CurrentWrite' });
        ns.addVariable({ componentOf: plant, browseName: 'Private', nodeId: 's=Private', dataType: 'Double', value, accessLevel: 'CurrentRead | CurrentWrite', userAccessLevel: 'CurrentWrite' });
      },
    });
    t = await startTestStation({ dir, yaml: yaml(server.endpoint) });
    await until('the station connected', () => t.station.live.get('Level')?.status === 0, 60_000);
  }, 180_000);

  afterAll(async () => {
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const entry = (name: string, node: string) => ({ server: 'plc', nodeId: `${NS}s=${node}`, name, kind: 'analog' as const, area: 'A' });

  it('refuses a variable whose AccessLevel lacks CurrentRead, and one whose UserAccessLevel does, writing nothing', async () => {
    const before = readFileSync(t.configFile, 'utf8');
    expect(await t.call('tags.add', { tags: [entry('Plant.Secret', 'Secret')] }, 'engineer')).toMatchObject({
      ok: false, error: { code: 'bad_request', i18n: { key: 'acquisition.issue.notReadable', params: { attribute: 'AccessLevel' } } },
    });
    expect(await t.call('tags.add', { tags: [entry('Plant.Private', 'Private')] }, 'engineer')).toMatchObject({
      ok: false, error: { code: 'bad_request', i18n: { key: 'acquisition.issue.notReadable', params: { attribute: 'UserAccessLevel' } } },
    });
    // One unreadable variable among readable ones: the call adds none of them.
    expect(await t.call('tags.add', { tags: [entry('Plant.Flow', 'Flow'), entry('Plant.Secret', 'Secret')] }, 'engineer')).toMatchObject({
      ok: false, error: { code: 'bad_request', i18n: { key: 'acquisition.issue.notReadable', params: { attribute: 'AccessLevel' } } },
    });
    expect(readFileSync(t.configFile, 'utf8')).toBe(before);
    expect(t.station.config.current.tags.map((tag) => tag.name)).toEqual(['Level']);
  });

  it('adds a readable variable of the same server', async () => {
    expect(await t.call('tags.add', { tags: [entry('Plant.Flow', 'Flow')] }, 'engineer')).toEqual({ ok: true, result: { added: ['Plant.Flow'] } });
    await until('the added tag acquired', () => t.station.live.get('Plant.Flow')?.status === 0);
    expect(t.station.live.get('Plant.Flow')?.value).toBe(7.5);
  });
});
