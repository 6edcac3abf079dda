/**
 * What an upstream holds, per tag, in the shape the archive has, so a test
 * compares the two value by value: InfluxDB by InfluxQL, VictoriaMetrics by
 * its raw export (duplicates included: nothing is hidden by a query).
 */
import type { InfluxServer, VictoriaServer } from './servers.js';

export interface Point {
  t: number;
  /** value (analog), state (discrete) or text; null when the line carried the status only. */
  value: number | string | null;
  status: number;
}

export type PointsByTag = Map<string, Point[]>;

const byTime = (a: Point, b: Point) => a.t - b.t || String(a.value).localeCompare(String(b.value));

export async function influxPoints(influx: InfluxServer, db: string, measurement: string): Promise<PointsByTag> {
  const res = await influx.query(`SELECT * FROM "${measurement}" GROUP BY "tag"`, db);
  const out: PointsByTag = new Map();
  for (const s of res.series ?? []) {
    const col = (name: string) => s.columns.indexOf(name);
    const [t, v, st, tx, status] = [col('time'), col('value'), col('state'), col('text'), col('status')];
    const points = s.values.map((row) => ({
      t: row[t] as number,
      value: (v >= 0 && row[v] !== null ? row[v] : st >= 0 && row[st] !== null ? row[st] : tx >= 0 ? row[tx] : null) as number | string | null,
      status: row[status] as number,
    }));
    out.set(s.tags!.tag!, points.sort(byTime));
  }
  return out;
}

/** VictoriaMetrics: <m>_value / <m>_state / <m>_status series joined on tag and time; text from the `text` label. */
export async function victoriaPoints(vm: VictoriaServer, measurement: string): Promise<PointsByTag> {
  const series = await vm.export(`{__name__=~"${measurement}_(value|state|status)"}`);
  const status = new Map<string, number[]>(); // key tag|t -> status values (duplicates kept)
  const values = new Map<string, (number | string)[]>();
  const push = <T>(m: Map<string, T[]>, k: string, v: T) => { const l = m.get(k); if (l) l.push(v); else m.set(k, [v]); };
  for (const s of series) {
    const field = s.metric.__name__!.slice(measurement.length + 1);
    s.timestamps.forEach((t, i) => {
      const key = `${s.metric.tag}|${t}`;
      if (field === 'status') {
        push(status, key, s.values[i]!);
        if (s.metric.text !== undefined) push(values, key, s.metric.text);
      } else push(values, key, s.values[i]!);
    });
  }
  const out: PointsByTag = new Map();
  for (const [key, sts] of status) {
    const bar = key.lastIndexOf('|');
    const tag = key.slice(0, bar), t = Number(key.slice(bar + 1));
    const vs = values.get(key) ?? [];
    sts.forEach((st, i) => push(out, tag, { t, value: vs[i] ?? null, status: st }));
  }
  for (const l of out.values()) l.sort(byTime);
  return out;
}

export function countPoints(p: PointsByTag): number {
  let n = 0;
  for (const l of p.values()) n += l.length;
  return n;
}

/**
 * Differences between what is upstream and what should be, value by value
 * ([] when they agree). relTol: VictoriaMetrics keeps about 12 significant
 * digits of a float (428.42857142857144 reads back as 428.4285714285).
 */
export function diffPoints(got: PointsByTag, expected: PointsByTag, relTol = 0): string[] {
  const out: string[] = [];
  for (const [tag, want] of expected) {
    const have = got.get(tag) ?? [];
    if (have.length !== want.length) out.push(`${tag}: ${have.length} points upstream, ${want.length} expected`);
    const n = Math.min(have.length, want.length);
    for (let i = 0; i < n && out.length < 20; i++) {
      const h = have[i]!, w = want[i]!;
      const same = h.t === w.t && h.status === w.status && (h.value === w.value ||
        (typeof h.value === 'number' && typeof w.value === 'number' && Math.abs(h.value - w.value) <= relTol * Math.max(Math.abs(h.value), Math.abs(w.value))));
      if (!same) out.push(`${tag}[${i}]: upstream ${JSON.stringify(h)}, expected ${JSON.stringify(w)}`);
    }
  }
  for (const tag of got.keys()) if (!expected.has(tag)) out.push(`${tag}: upstream only`);
  return out;
}

export const VM_PRECISION = 1e-11;

/**
 * The upstream's points once they agree with the expected ones, or after
 * timeoutMs: VictoriaMetrics right after a restart may take a moment before
 * new series show in an export. The caller asserts on the result.
 */
export async function settled(read: () => Promise<PointsByTag>, agrees: (p: PointsByTag) => boolean, timeoutMs = 15_000): Promise<PointsByTag> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const p = await read();
    if (agrees(p) || Date.now() > end) return p;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
