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
import type { Dialect } from '../line-protocol/escape.js';

export interface Witness {
  measurement: string;
  tags: [string, string][];
  field: string;
  /** ms */
  t: number;
}

/**
 * A line as a witness, its names and values as the upstream reads them back, or null when that
 * cannot be told. Escapes are read as the line's dialect (line-protocol/escape.ts) wrote them:
 * 'v2' (InfluxDB 2.x/3.x, VictoriaMetrics) reads a backslash and the character after it as that
 * character; 'v1' (InfluxDB 1.x) only '\,', '\=' and '\ ', keeping any other backslash as it is.
 * A v1 backslash before another one is left out: InfluxDB 1.x skips the pair when it looks for
 * the separator, so what it stored depends on what follows. Found by an exploratory run: every line
 * was left out, its site "Tank Farm North" written 'Tank\ Farm\ North', and no checkpoint was kept.
 */
export function witnessOf(line: string, dialect: Dialect): Witness | null {
  const last = line.lastIndexOf(' ');
  const t = Number(line.slice(last + 1));
  if (last <= 0 || !Number.isSafeInteger(t)) return null;
  const head = new Scanner(line.slice(0, last), dialect);
  const measurement = head.until(', ');
  const tags: [string, string][] = [];
  while (measurement !== null && head.peek() === ',') {
    head.skip();
    const key = head.until('=');
    if (key === null || head.peek() !== '=') return null;
    head.skip();
    const value = head.until(', ');
    if (value === null) return null;
    tags.push([key, value]);
  }
  if (head.peek() !== ' ') return null;
  head.skip();
  const field = head.until('=');
  if (!measurement || !field || head.peek() !== '=') return null;
  return { measurement, tags, field, t };
}

/** Reads a line's names and values up to an unescaped separator, unescaped as the dialect does. */
class Scanner {
  private i = 0;

  constructor(private readonly s: string, private readonly dialect: Dialect) {}

  /** The character at the position ('' at the end). */
  peek(): string {
    return this.s[this.i] ?? '';
  }

  skip(): void {
    this.i++;
  }

  /** The text up to (not including) one of `stops` or the end, unescaped; null when it cannot be told. */
  until(stops: string): string | null {
    let out = '';
    for (; this.i < this.s.length; this.i++) {
      const c = this.s[this.i]!;
      if (stops.includes(c)) break;
      if (c !== '\\') { out += c; continue; }
      const after = this.s[this.i + 1] ?? '';
      if (this.dialect === 'v2') {
        if (after === '') return null;
        out += after;
        this.i++;
      } else if (after === '\\') {
        return null;
      } else if (after === ',' || after === '=' || after === ' ') {
        out += after;
        this.i++;
      } else {
        out += c;
      }
    }
    return out;
  }
}

/** Whether this upstream's witnesses can be looked up at all. */
export function holdingsChecked(u: UpstreamConfig): boolean {
  return u.flavour === 'influxdb1' || (u.flavour === 'victoriametrics' && !u.tenant);
}

/** The URL that looks the witness up, or null where this flavour is not looked up. */
export function holdsUrl(u: UpstreamConfig, w: Witness): URL | null {
  const base = u.url.replace(/\/+$/, '');
  if (u.flavour === 'influxdb1') {
    // InfluxQL reads a backslash in a quoted name or string as an escape (a lone one is refused).
    const ident = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`;
    const str = (s: string) => `'${s.replace(/['\\]/g, '\\$&')}'`;
    const from = `${u.retentionPolicy ? `${ident(u.retentionPolicy)}.` : ''}${ident(w.measurement)}`;
    const where = [...w.tags.map(([k, v]) => `${ident(k)} = ${str(v)}`), `time = ${w.t}ms`].join(' AND ');
    const q = new URLSearchParams({ db: u.database!, epoch: 'ms', q: `SELECT count(${ident(w.field)}) FROM ${from} WHERE ${where}` });
    return new URL(`${base}/query?${q.toString()}`);
  }
  // Label names in a selector are identifiers: a tag key that is not one cannot be looked up there.
  if (u.flavour === 'victoriametrics' && !u.tenant && w.tags.every(([k]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k))) {
    const label = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`; // a backslash is an escape in a selector's value
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

/**
 * InfluxDB 1.x: where the retention policies of the database written to are read (its account may
 * read; a write-only one is refused, and the policy stays unknown), or null for other flavours.
 * Lines older than the policy's duration are deleted there by the policy, not lost.
 */
export function policiesUrl(u: UpstreamConfig): URL | null {
  if (u.flavour !== 'influxdb1') return null;
  const q = new URLSearchParams({ db: u.database!, q: `SHOW RETENTION POLICIES ON "${u.database!.replace(/["\\]/g, '\\$&')}"` });
  return new URL(`${u.url.replace(/\/+$/, '')}/query?${q.toString()}`);
}

/**
 * The duration (ms) of the policy written to (`name`, else the database's default) from the answer
 * to SHOW RETENTION POLICIES: Infinity for one kept for ever ("0s"), null when the answer says nothing of it.
 */
export function policyDuration(body: string, name: string | undefined): number | null {
  try {
    const s = (JSON.parse(body) as { results?: { series?: { columns?: string[]; values?: unknown[][] }[] }[] }).results?.[0]?.series?.[0];
    if (!s?.columns || !s.values) return null;
    const [n, d, def] = ['name', 'duration', 'default'].map((c) => s.columns!.indexOf(c));
    if (n! < 0 || d! < 0) return null;
    const row = s.values.find((v) => (name ? v[n!] === name : v[def!] === true));
    const m = typeof row?.[d!] === 'string' ? /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(row[d!] as string) : null;
    if (!m || m[0] === '') return null;
    const ms = (Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) * 1000;
    return ms === 0 ? Infinity : ms;
  } catch {
    return null;
  }
}
