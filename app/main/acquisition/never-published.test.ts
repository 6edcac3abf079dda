/**
 * A server that takes the session and the subscription and then never publishes (no data, no
 * keep-alive: a hung publish thread, a gateway whose field side is gone). Found by an independent
 * run: the station called it connected for the seconds until it went stale, every cycle, so its
 * communication alarm returned and came back again (a P1 chattering: FLOOD 53 in 10 min), the gap
 * ledger closed each gap at the subscribe and claimed coverage the server never gave, and the
 * reconnection never backed off. Connected now means a first publish.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, StatusCodes, type UAVariable } from 'node-opcua';
import { isBad } from '../../../historian/status.js';
import { Translator } from '../../shared/i18n/index.js';
import { serverErrorDetail, serverErrorText } from '../../renderer/lib/station-causes.js';
import { english } from './testing/english.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

const NEVER = 'server lost before it published anything since subscribing';
const ru = new Translator('ru');
const zh = new Translator('zh');

describe('a server that never publishes', () => {
  let dir: string;
  let server: TestServer;
  let t: TestStation;
  let level!: UAVariable;
  const silent = () => { (server.server as unknown as { _on_PublishRequest: () => void })._on_PublishRequest = () => undefined; };
  const publishes = () => { delete (server.server as unknown as { _on_PublishRequest?: unknown })._on_PublishRequest; };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-nopublish-'));
    server = await startTestServer({
      role: 'nopublish', dir,
      build: (ns, as) => {
        level = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 });
      },
    });
    level.setValueFromSource({ dataType: DataType.Double, value: 4.2 }, StatusCodes.Good);
    silent();
    t = await startTestStation({
      dir,
      yaml: `station: { name: NoPublish, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${server.endpoint}", backfill: false, publishingIntervalMs: 200, staleAfterMs: 2000 }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`,
    });
    await until('two subscriptions that never published', () => t.logs.filter((l) => l.msg === NEVER).length >= 2, 60_000);
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is never called connected, and says why it is not', () => {
    expect(t.logs.filter((l) => l.msg === 'subscribed').length).toBeGreaterThanOrEqual(2);
    expect(t.states.filter((s) => s.id === 'plc').map((s) => s.state)).not.toContain('connected');
    expect(t.station.acquisition.states()[0]).toMatchObject({ state: 'connecting', lastError: expect.stringContaining('nothing published since subscribing') });
  });

  it('says why in the console\'s language, the cause worded, the English kept as the technical detail', () => {
    const state = t.station.acquisition.states()[0]!;
    expect(state.lastError).toBe('no data or keep-alive from the server (nothing published since subscribing)');
    // As the server chip and the status band word it (renderer/lib/station-causes.ts); the words written here by hand.
    const said = { ru: serverErrorText(state, (k, p) => ru.t(k, p)), zh: serverErrorText(state, (k, p) => zh.t(k, p)) };
    expect(said.ru).toMatch(/^Нет данных и контроля связи от сервера: соединение разорвано, так как сервер ничего не опубликовал/);
    expect(said.zh).toMatch(/^服务器无数据也无心跳：自创建订阅以来服务器未发布任何内容/);
    expect(english(said.ru!)).toEqual([]);
    expect(english(said.zh!)).toEqual([]);
    expect(serverErrorDetail(state)).toBe(state.lastError);
  });

  it('claims no coverage: no gap of the ledger is closed, no Good value archived or shown', () => {
    expect(t.station.acquisition.ledger.list('plc', 100).filter((e) => e.kind === 'gap' && e.to !== null)).toEqual([]);
    expect(t.samples.filter((s) => s.tag === 'Level' && !isBad(s.status))).toEqual([]);
  });

  it('is connected at its first publish, with the value', async () => {
    publishes();
    await until('connected', () => t.station.acquisition.states()[0]?.state === 'connected', 60_000);
    await until('the value', () => t.samples.find((s) => s.tag === 'Level' && s.status === 0 && s.value === 4.2), 30_000);
  }, 90_000);
});
