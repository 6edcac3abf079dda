/**
 * Items whose SourceTimestamp is wrong while the server's clock is right (its CurrentTime and its
 * ServerTimestamps): a field device an hour behind but ticking (BehindTs), a stamp frozen while the
 * value changes (OldTs), and a variable whose source gives no stamp (NoSourceTs: node-opcua's
 * server then sends a frozen one). As a foreign server did it (a getter returning each DataValue
 * with its stamps), with a control item stamped right. Each value after an item's first is
 * archived near when the server stamped it, never 1 ms after the one before (the archive had
 * minutes of values squeezed into a few ms after a stale stamp), and the log says it once per tag.
 * A legitimately late value (a queue republished after an outage, a slow link) keeps its stamp.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DataType, DataValue, StatusCodes, Variant } from 'node-opcua';
import type { TagSource } from '../../shared/api.js';
import { Flag } from '../../../historian/types.js';
import { AHEAD_TOLERANCE_MS, restamp } from './sample.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

const HOUR = 3600_000;
const STEP = 300;
const NAMES = ['BehindTs', 'OldTs', 'NoSourceTs', 'Control'] as const;
/** Stamped to whole seconds by a right clock: coarse, not wrong. */
const ITEMS = [...NAMES, 'Coarse'] as const;
type Name = (typeof ITEMS)[number];
/** How far from the server's stamp a value may be archived: one sampling of the server plus a margin, far below an hour. */
const BOUND = 1500;

describe('restamp', () => {
  const tol = 2800;
  const at = Date.UTC(2026, 0, 1, 12);
  const dv = (source: number | null, server: number | null) => new DataValue({
    value: new Variant({ dataType: DataType.Double, value: 1 }), statusCode: StatusCodes.Good,
    sourceTimestamp: source === null ? undefined : new Date(source), serverTimestamp: server === null ? undefined : new Date(server),
  });

  it('keeps a stamp that advances past the last one and the time the last value was dated', () => {
    expect(restamp(dv(at - 100, at - 90), at - 400, at - 400, at, tol)).toBeNull();
    expect(restamp(dv(at - 5000, at), at - 5300, at - 5300, at, tol)).toBeNull();
  });

  it('keeps the stamps of a server clock a little behind: before the time the last value was dated (its first, dated when asked for), by less than a publish can hold', () => {
    expect(restamp(dv(at - 1500, at - 1500), at - 1700, at - 200, at, tol)).toBeNull();
  });

  it('keeps the stamps of late values that advance, however far behind their ServerTimestamp: a device\'s event buffer delivered after its link was down, a queue republished, a slow link', () => {
    expect(restamp(dv(at - 3600_000, at - 50), at - 3600_500, at - 3600_500, at, tol)).toBeNull();
    expect(restamp(dv(at - 30_000, at - 29_990), at - 30_300, at - 30_300, at, tol)).toBeNull();
    expect(restamp(dv(at - 600_000, at - 600_000), at - 600_500, at - 600_500, at, tol)).toBeNull();
  });

  it('leaves the item\'s first value (nothing dated before it) to the caller', () => {
    expect(restamp(dv(at - 3600_000, at), null, null, at, tol)).toBeNull();
  });

  it('dates a value stamped well before its item\'s last value was dated by its ServerTimestamp: a device clock an hour behind, its first value dated when asked for', () => {
    expect(restamp(dv(at - 3600_000 - 50, at - 50), at - 3600_000 - 350, at - 5000, at, tol)).toBe(at - 50);
  });

  it('dates a value whose stamp does not advance by its ServerTimestamp, else by its receipt', () => {
    expect(restamp(dv(at - 1000, at - 20), at - 1000, at - 1000, at, tol)).toBe(at - 20);
    expect(restamp(dv(at - 3600_000, null), at - 3600_000, at - 3600_000, at, tol)).toBe(at);
    // A ServerTimestamp no later than the last dated value says nothing more: the receipt.
    expect(restamp(dv(at - 3600_000, at - 3600_000), at - 3600_000, at - 3600_000, at, tol)).toBe(at);
    expect(restamp(dv(at - 3600_000, at - 2000), at - 3600_000, at - 1000, at, tol)).toBe(at);
  });

  it('dates by the receipt a ServerTimestamp further ahead of it than a source stamp may be', () => {
    expect(restamp(dv(at - 3600_000, at + AHEAD_TOLERANCE_MS + 1), at - 3600_000, at - 1000, at, tol)).toBe(at);
    expect(restamp(dv(at - 3600_000, at + AHEAD_TOLERANCE_MS), at - 3600_000, at - 1000, at, tol)).toBe(at + AHEAD_TOLERANCE_MS);
  });

  it('leaves a value without a source stamp to sourceTime (its ServerTimestamp, else its receipt)', () => {
    expect(restamp(dv(null, at - 3600_000), at - 3600_000, at - 3600_000, at, tol)).toBeNull();
  });
});

describe('values whose source timestamp is wrong while the server clock is right', () => {
  const stationYaml = () => `station: { name: Stale, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "opc.tcp://127.0.0.1:${server.port}/test", backfill: false, samplingIntervalMs: 50, publishingIntervalMs: 500 }
areas: [{ id: A, name: A }]
tags:
${ITEMS.map((name) => `  - { name: ${name}, server: plc, nodeId: "ns=2;s=${name}", kind: analog, area: A }`).join('\n')}
`;
  let dir: string;
  let server: TestServer;
  let t: TestStation;
  let tick: NodeJS.Timeout;
  let n = 1;
  const t0 = Date.now();
  /** When the value last changed: a device stamps its change then (by its own clock). */
  let changedAt = t0;
  /** Per item and value: the ServerTimestamp the server first gave it, and the SourceTimestamp. */
  const served = new Map<string, { server: number; source: number | null }>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-stale-stamps-'));
    const source: Record<Name, () => Date | null> = {
      BehindTs: () => new Date(changedAt - HOUR),
      OldTs: () => new Date(t0 - HOUR),
      NoSourceTs: () => null,
      Control: () => new Date(changedAt),
      Coarse: () => new Date(Math.floor(changedAt / 1000) * 1000),
    };
    server = await startTestServer({
      role: 'stale-stamps', dir,
      build: (ns, as) => {
        for (const name of ITEMS) {
          const v = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: name, nodeId: `s=${name}`, dataType: 'Double', minimumSamplingInterval: 50 });
          v.bindVariable({
            timestamped_get: () => {
              const now = new Date();
              const value = n;
              const ts = source[name]();
              const key = `${name}:${value}`;
              if (!served.has(key)) served.set(key, { server: now.getTime(), source: ts?.getTime() ?? null });
              return new DataValue({
                value: new Variant({ dataType: DataType.Double, value }), statusCode: StatusCodes.Good,
                sourceTimestamp: ts ?? undefined, serverTimestamp: now,
              });
            },
          }, true);
        }
      },
    });
    tick = setInterval(() => {
      changedAt = Date.now();
      n++;
    }, STEP);
    t = await startTestStation({
      dir, archive: true,
      yaml: stationYaml(),
    });
    const count = (name: string) => t.samples.filter((s) => s.tag === name && s.status === 0).length;
    await until('values of every item', () => ITEMS.every((name) => count(name) >= 16), 60_000);
    await t.archive!.flush();
  }, 120_000);

  afterAll(async () => {
    clearInterval(tick);
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The archived values of a tag after its first (its current value, dated apart), in time order; not the archive's cyclic records. */
  const archived = (name: Name) => {
    const rows = t.archive!.readRaw({ tags: name, start: t0 - 2 * HOUR, end: Date.now() + HOUR }).rows;
    return rows.filter((r) => r.value !== null && (r.flags & Flag.Cyclic) === 0).slice(1);
  };

  for (const name of NAMES) {
    it(`archives each value of ${name} near when the server stamped it, never 1 ms after the one before`, () => {
      const rows = archived(name);
      expect(rows.length).toBeGreaterThanOrEqual(10);
      for (const r of rows) {
        const s = served.get(`${name}:${r.value as number}`);
        expect(s, `${name} ${String(r.value)}`).toBeDefined();
        expect(Math.abs(r.t - s!.server), `${name} ${String(r.value)}`).toBeLessThan(BOUND);
      }
      // The values changed every STEP ms: far more than 1 ms apart, however late a loaded server sampled one of them.
      for (let i = 1; i < rows.length; i++) expect(rows[i]!.t - rows[i - 1]!.t, `${name} #${i}`).toBeGreaterThan(STEP / 15);
    });
  }

  it('keeps the source stamps of the item stamped right', () => {
    for (const r of archived('Control')) expect(r.t).toBe(served.get(`Control:${r.value as number}`)!.source);
  });

  it('keeps every value of the item stamped to whole seconds, in order', () => {
    const rows = archived('Coarse');
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]!.value as number, `#${i}`).toBeGreaterThan(rows[i - 1]!.value as number);
      expect(rows[i]!.t, `#${i}`).toBeGreaterThan(rows[i - 1]!.t);
    }
  });

  it('says it once per tag in the log, naming the tag, and only for the wrong ones (not the coarse one)', () => {
    const told = t.logs.filter((l) => String(l.msg).startsWith('source timestamp wrong'));
    expect(told.map((l) => l.tag).sort()).toEqual(['BehindTs', 'NoSourceTs', 'OldTs']);
  });

  /** What the Tags page reads: since when each tag's stamps are wrong (null: right). */
  const wrongSince = async (station: TestStation) => {
    const sources = ((await station.call('tags.sources', {})) as { result: TagSource[] }).result;
    return Object.fromEntries(ITEMS.map((name) => [name, sources.find((x) => x.tag === name)?.stampsWrongSince ?? null]));
  };

  it('shows the wrong ones on the Tags page, and keeps them across a restart (a gap the last run left is backfilled before live values show it again)', async () => {
    const first = await wrongSince(t);
    for (const name of ['BehindTs', 'OldTs', 'NoSourceTs'] as const) expect(first[name], name).toBeGreaterThanOrEqual(t0);
    expect([first.Control, first.Coarse]).toEqual([null, null]);
    // Kept beside the gap ledger, read here as any tool would.
    await t.stop();
    const db = new Database(join(t.dataDir, 'acquisition.sqlite'), { readonly: true });
    const rows = db.prepare('SELECT tag, since FROM stamps_wrong ORDER BY tag').all();
    db.close();
    expect(rows).toEqual([{ tag: 'BehindTs', since: first.BehindTs }, { tag: 'NoSourceTs', since: first.NoSourceTs }, { tag: 'OldTs', since: first.OldTs }]);
    t = await startTestStation({ dir, archive: true, yaml: stationYaml() });
    expect(await wrongSince(t)).toEqual(first);
  });
});
