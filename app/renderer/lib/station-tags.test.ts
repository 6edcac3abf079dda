/**
 * Every open console follows the station's tag list: a tag added from a console (tags.add) or a
 * config edit that removes one reaches the tag list of each console already connected, without a
 * reload. Real parts: the simulator over OPC UA, a station with its config in a YAML file, the
 * browser server, and two consoles' station stores (compiled as the browser runs them) over
 * WebSockets. What a console must hold comes from the config file as written, not from the store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { parse } from 'yaml';
import { startSimulator, type Simulator } from '../../../simulator/server.js';
import { startBrowserServer, type BrowserServer } from '../../main/api/browser-server.js';
import { startTestStation, until, type TestStation } from '../../main/acquisition/testing/harness.js';
import { silentLogger } from '../../main/log.js';
import { WsClient, type SocketLike } from './api-client.js';
import { importRunesTree } from './testing/runes-tree.js';
import type { Station as ConsoleStation } from './station.svelte.js';

type StationModule = typeof import('./station.svelte.js');

const yaml = (endpoint: string) => `station: { name: N, defaultCompression: { kind: none } }
servers:
  - { id: sim, endpoint: "${endpoint}", backfill: false, publishingIntervalMs: 250, staleAfterMs: 5000, security: { mode: None, policy: None } }
areas: [{ id: Area1, name: Area 1 }]
tags:
  - { name: Area1.TK101.Level, server: sim, nodeId: "ns=1;s=Area1.TK101.Level", kind: analog, area: Area1, unit: m, range: [0, 20] }
  - { name: Area1.TK101.Temperature, server: sim, nodeId: "ns=1;s=Area1.TK101.Temperature", kind: analog, area: Area1, unit: degC }
`;

/** The tag names the config file names now: what every console must list. */
type FileTag = { name: string; server: string; nodeId: string; kind: string; area: string };
const tagsInFile = (file: string): FileTag[] => (parse(readFileSync(file, 'utf8')) as { tags: FileTag[] }).tags;
const namesInFile = (file: string): string[] => tagsInFile(file).map((t) => t.name);
const namesIn = (c: ConsoleStation): string[] => c.tags.map((t) => t.name);

describe('consoles follow the tag list of the station config', () => {
  let dir: string;
  let sim: Simulator;
  let t: TestStation;
  let server: BrowserServer;
  const consoles: ConsoleStation[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-console-tags-'));
    sim = await startSimulator({ port: 0, seed: 5, tickMs: 250 });
    t = await startTestStation({ dir, yaml: yaml(sim.endpoint), archive: true });
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Vigil</title>');
    server = await startBrowserServer({ port: 0, rendererDir: dir, dispatcher: t.station.dispatcher, events: t.station.events, logger: silentLogger() });
    const { Station } = await importRunesTree<StationModule>(fileURLToPath(new URL('./station.svelte.ts', import.meta.url)));
    const origin = `http://127.0.0.1:${server.port}`;
    for (let i = 0; i < 2; i++) {
      const api = new WsClient({
        url: `ws://127.0.0.1:${server.port}/api`,
        createSocket: (url) => new WebSocket(url, { headers: { origin } }) as unknown as SocketLike,
        reportError: () => {},
      });
      consoles.push(new Station(api));
    }
    await until('both consoles loaded the tags', () => consoles.every((c) => c.tags.length === 2));
    // tags.add checks the node on the connected server: connected before it is called (a loaded machine connects late).
    await until('the simulator connected', () => t.station.live.get('Area1.TK101.Level')?.status === 0, 60_000);
  }, 120_000);

  afterAll(async () => {
    for (const c of consoles) c.dispose();
    await server?.close();
    await t?.stop();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a tag added from a console is in every open console, with its live value', async () => {
    const added = await t.call('tags.add', {
      tags: [{ server: 'sim', nodeId: 'ns=1;s=Area1.TK101.Pressure', name: 'Area1.TK101.Pressure', kind: 'analog', area: 'Area1' }],
    });
    expect(added).toMatchObject({ ok: true, result: { added: ['Area1.TK101.Pressure'] } });
    const want = namesInFile(t.configFile);
    expect(want).toContain('Area1.TK101.Pressure');
    for (const c of consoles) {
      await until('the added tag in the console', () => namesIn(c).includes('Area1.TK101.Pressure'), 30_000);
      expect(namesIn(c)).toEqual(want);
      const { name, server, nodeId, kind, area } = tagsInFile(t.configFile).find((x) => x.name === 'Area1.TK101.Pressure')!;
      expect(c.tag('Area1.TK101.Pressure')).toMatchObject({ name, server, nodeId, kind, area });
      await until('its good live value', () => c.values.get('Area1.TK101.Pressure')?.status === 0, 30_000);
    }
  });

  it('a config edit that removes a tag leaves it out of every open console', async () => {
    t.station.config.edit((doc) => {
      const tags = doc.get('tags') as { items: unknown[] };
      tags.items.splice(1, 1);
    });
    const want = namesInFile(t.configFile);
    expect(want).not.toContain('Area1.TK101.Temperature');
    for (const c of consoles) await until('the removed tag gone from the console', () => JSON.stringify(namesIn(c)) === JSON.stringify(want), 30_000);
  });
});
