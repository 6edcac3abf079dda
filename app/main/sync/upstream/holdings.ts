/**
 * Does the upstream still hold a line it acknowledged? One point looked up
 * by its series and time (a witness): after a restart this tells an upstream
 * that came back with all it took from one restored from an older copy, or
 * one that lost what it held in memory. A cheap query, made a few times per
 * restart, never polled.
 *
 *   influxdb1        GET /query?db=&rp=&epoch=ms  SELECT count("<field>") FROM "<m>" WHERE "<tag>"='<v>' AND ... AND time = <t>ms
 *   victoriametrics  GET /api/v1/export?match[]={__name__="<m>_<field>",<tag>="<v>",...}&start=<t>&end=<t>  (single node)
 *
 * Other flavours (and a VictoriaMetrics cluster, whose vmselect is elsewhere) are not looked up.
 */
import type { UpstreamConfig } from '../../../shared/config/sync.js';

export interface Witness {
  measurement: string;
  tags: [string, string][];
  field: string;
  /** ms */
  t: number;
}

/**
 * A line as a witness, or null: lines with a backslash are left out (the dialects unescape it
 * differently), so what is between the separators is the names and values as they are.
 */
export function witnessOf(line: string): Witness | null {
  if (line.includes('\\')) return null;
  const first = line.indexOf(' '), last = line.lastIndexOf(' ');
  if (first <= 0 || last <= first) return null;
  const [measurement, ...pairs] = line.slice(0, first).split(',');
  const tags: [string, string][] = [];
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) return null;
    tags.push([p.slice(0, eq), p.slice(eq + 1)]);
  }
  const eq = line.indexOf('=', first + 1);
  const field = eq > first ? line.slice(first + 1, eq) : '';
  const t = Number(line.slice(last + 1));
  if (!measurement || !field || field.includes(',') || !Number.isSafeInteger(t)) return null;
  return { measurement, tags, field, t };
}

/** Whether this upstream's witnesses can be looked up at all. */
export function holdingsChecked(u: UpstreamConfig): boolean {
  return u.flavour === 'influxdb1' || (u.flavour === 'victoriametrics' && !u.tenant);
}

/** The URL that looks the witness up, or null where this flavour is not looked up. */
export function holdsUrl(u: UpstreamConfig, w: Witness): URL | null {
  const base = u.url.replace(/\/+$/, '');
  if (u.flavour === 'influxdb1') {
    const ident = (s: string) => `"${s.replace(/"/g, '\\"')}"`;
    const str = (s: string) => `'${s.replace(/'/g, "\\'")}'`;
    const from = `${u.retentionPolicy ? `${ident(u.retentionPolicy)}.` : ''}${ident(w.measurement)}`;
    const where = [...w.tags.map(([k, v]) => `${ident(k)} = ${str(v)}`), `time = ${w.t}ms`].join(' AND ');
    const q = new URLSearchParams({ db: u.database!, epoch: 'ms', q: `SELECT count(${ident(w.field)}) FROM ${from} WHERE ${where}` });
    return new URL(`${base}/query?${q.toString()}`);
  }
  // Label names in a selector are identifiers: a tag key that is not one cannot be looked up there.
  if (u.flavour === 'victoriametrics' && !u.tenant && w.tags.every(([k]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k))) {
    const label = (s: string) => `"${s.replace(/"/g, '\\"')}"`;
    const match = `{${[['__name__', `${w.measurement}_${w.field}`], ...w.tags].map(([k, v]) => `${k}=${label(v!)}`).join(',')}}`;
    const at = (w.t / 1000).toFixed(3);
    return new URL(`${base}/api/v1/export?${new URLSearchParams({ 'match[]': match, start: at, end: at }).toString()}`);
  }
  return null;
}

/** Whether the answer shows the point (null: an answer that says neither). */
export function holdsAnswer(u: UpstreamConfig, body: string, w: Witness): boolean | null {
  try {
    if (u.flavour === 'influxdb1') {
      const r = (JSON.parse(body) as { results?: { error?: string; series?: { values?: unknown[][] }[] }[] }).results?.[0];
      if (!r || r.error) return null;
      return Number(r.series?.[0]?.values?.[0]?.[1] ?? 0) > 0;
    }
    for (const line of body.split('\n')) {
      if (line.trim() === '') continue;
      if ((JSON.parse(line) as { timestamps?: number[] }).timestamps?.includes(w.t)) return true;
    }
    return false;
  } catch {
    return null;
  }
}
