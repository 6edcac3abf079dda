/**
 * What differs between the upstreams that speak line protocol: the write
 * URL, how the secret is presented, the escaping dialect, what a 400 means,
 * and whether a 2xx is durable.
 *
 *   influxdb1        POST /write?db=&rp=&precision=ms            Basic auth (username + secret) or Token
 *   influxdb2        POST /api/v2/write?org=&bucket=&precision=ms   Authorization: Token <secret>
 *   influxdb3        POST /api/v3/write_lp?db=&precision=millisecond  Authorization: Bearer <secret>
 *   victoriametrics  POST /write?db=&precision=ms (single node), /insert/<tenant>/influx/write (cluster)
 *
 * precision is always explicit: InfluxDB reads an unknown or missing
 * precision as nanoseconds and stores ms timestamps in 1970 with a 204.
 */
import type { Flavour, UpstreamConfig } from '../../../shared/config/sync.js';
import type { Dialect } from '../line-protocol/escape.js';

export interface FlavourTraits {
  dialect: Dialect;
  /** A string field is stored (VictoriaMetrics stores it as 0). */
  stringFields: boolean;
  /**
   * A 400 can come after the good lines of the batch were written (InfluxDB's
   * "partial write"; VictoriaMetrics may have stored the blocks it parsed before
   * the bad one): re-sent good lines are then counted as possible duplicates
   * where the upstream does not overwrite them.
   */
  partialWrites: boolean;
  /** A line re-sent with the same series and timestamp replaces the first (InfluxDB); else it is stored twice. */
  overwritesDuplicates: boolean;
  /**
   * A 2xx may be lost if the upstream dies soon after (VictoriaMetrics buffers
   * rows in memory for seconds): acknowledged data stays re-sendable for the window.
   */
  ackNotDurable: boolean;
  /** Samples this far ahead of the upstream's clock are dropped silently (ms); null: kept. */
  futureLimitMs: number | null;
}

export const traits: Record<Flavour, FlavourTraits> = {
  influxdb1: { dialect: 'v1', stringFields: true, partialWrites: true, overwritesDuplicates: true, ackNotDurable: false, futureLimitMs: null },
  influxdb2: { dialect: 'v2', stringFields: true, partialWrites: true, overwritesDuplicates: true, ackNotDurable: false, futureLimitMs: null },
  influxdb3: { dialect: 'v2', stringFields: true, partialWrites: true, overwritesDuplicates: true, ackNotDurable: false, futureLimitMs: null },
  victoriametrics: { dialect: 'v2', stringFields: false, partialWrites: true, overwritesDuplicates: false, ackNotDurable: true, futureLimitMs: 2 * 86_400_000 },
};

/** The write URL of an upstream. */
export function writeUrl(u: UpstreamConfig): URL {
  const base = u.url.replace(/\/+$/, '');
  const q = new URLSearchParams();
  let path: string;
  switch (u.flavour) {
    case 'influxdb1':
      path = '/write';
      q.set('db', u.database!);
      if (u.retentionPolicy) q.set('rp', u.retentionPolicy);
      q.set('precision', 'ms');
      break;
    case 'influxdb2':
      path = '/api/v2/write';
      q.set('org', u.org!);
      q.set('bucket', u.bucket!);
      q.set('precision', 'ms');
      break;
    case 'influxdb3':
      path = '/api/v3/write_lp';
      q.set('db', u.database!);
      q.set('precision', 'millisecond');
      break;
    case 'victoriametrics':
      path = u.tenant ? `/insert/${u.tenant}/influx/write` : '/write';
      if (u.database) q.set('db', u.database);
      q.set('precision', 'ms');
      break;
  }
  return new URL(`${base}${path}?${q.toString()}`);
}

/** The Authorization header for a secret, or none without credentials. */
export function authorization(u: UpstreamConfig, secret: string | null): string | null {
  if (secret === null) return null;
  const user = u.credentials?.username;
  const basic = (name: string) => `Basic ${Buffer.from(`${name}:${secret}`).toString('base64')}`;
  switch (u.flavour) {
    case 'influxdb1': return user ? basic(user) : `Token ${secret}`;
    case 'influxdb2': return `Token ${secret}`;
    case 'influxdb3': return `Bearer ${secret}`;
    case 'victoriametrics': return user ? basic(user) : `Bearer ${secret}`;
  }
}

/**
 * Where the upstream's start time can be read, to detect a restart: one that
 * may have lost what it had just acknowledged (VictoriaMetrics), or came back
 * from an older copy of its data (any). InfluxDB 1.x: /debug/vars
 * (system.started); VictoriaMetrics single node: /metrics. InfluxDB 2.x/3.x
 * are not probed.
 */
export function restartProbeUrl(u: UpstreamConfig): URL | null {
  const base = u.url.replace(/\/+$/, '');
  if (u.flavour === 'influxdb1') return new URL(`${base}/debug/vars`);
  if (u.flavour !== 'victoriametrics') return null;
  // A cluster's vminsert does not hold the data; its vmstorage nodes are not reachable from here.
  if (u.tenant) return null;
  return new URL(`${base}/metrics`);
}

/** One sample of a Prometheus text exposition, or null when absent. */
function metric(metrics: string, name: string): number | null {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})?\\s+([0-9.eE+]+)\\s*$`, 'm').exec(metrics);
  return m ? Number(m[1]) : null;
}

/**
 * What tells one upstream process from the next: its start time (whole
 * seconds in VictoriaMetrics, so a restart within the same second keeps it)
 * and its HTTP request counter, which starts again from zero in a new process
 * (VictoriaMetrics refreshes the value it shows about once a second, so a
 * process that lived under a second cannot be told from the next one).
 */
export interface ProcessIdentity { startTime: number; requests: number | null }

export function parseProcessIdentity(metrics: string, flavour: Flavour = 'victoriametrics'): ProcessIdentity | null {
  if (flavour === 'influxdb1') {
    // /debug/vars opens with {"system": {"currentTime":"...","started":"<RFC 3339, ns>","uptime":<s>}: read before the
    // rest (it may be cut off at the read limit on a large server).
    const m = /"started"\s*:\s*"([^"]+)"/.exec(metrics);
    const started = m ? Date.parse(m[1]!) : NaN;
    return Number.isNaN(started) ? null : { startTime: started, requests: null };
  }
  const start = metric(metrics, 'process_start_time_seconds');
  if (start === null) return null;
  return { startTime: start * 1000, requests: metric(metrics, 'vm_http_requests_all_total') };
}

/**
 * VictoriaMetrics' -retentionPeriod (ms) from its /metrics (the restart probe's answer), which
 * lists every flag, set or not, as `flag{name="retentionPeriod", value="1d", is_set="true"} 1`
 * (/flags lists only those set). Null when absent (an older release, a proxy) or unreadable.
 * A number alone counts months (of 31 days, as VictoriaMetrics counts them); h, d, w, y suffixes.
 * Rows older than that it drops on ingestion, answering 204 (vm_rows_ignored_total{reason="small_timestamp"}).
 */
export function parseRetention(metrics: string): { ms: number; text: string } | null {
  const m = /^flag\{name="retentionPeriod",\s*value="([^"]*)"/m.exec(metrics);
  if (!m) return null;
  const text = m[1]!;
  const d = /^\s*(\d+(?:\.\d+)?)\s*([hdwy]?)\s*$/.exec(text);
  if (!d) return null;
  const hour = 3_600_000, day = 24 * hour;
  const unit = { '': 31 * day, h: hour, d: day, w: 7 * day, y: 365 * day }[d[2] as '' | 'h' | 'd' | 'w' | 'y'];
  const ms = Number(d[1]) * unit;
  return ms > 0 && Number.isFinite(ms) ? { ms, text } : null;
}
