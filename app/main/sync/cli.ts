/**
 * The sync at a shell: `npm run sync -- <command> [--data DIR] [--config FILE]`.
 *
 *   status [--json]                                  each upstream: state, backlog, last success/error, quarantine
 *   resend --from T --to T [--upstream ID] [--stream S] [--comment TEXT]
 *   quarantine list [--upstream ID] [--limit N] [--json]
 *   quarantine retry [--upstream ID] [--ids 1,2,3] [--comment TEXT]  (also: retry)
 *   quarantine export --out FILE [--format csv|lp] [--upstream ID]  (also: export)
 *   resume [--upstream ID] [--comment TEXT]          a paused upstream tries again
 *
 * The CLI never sends anything itself, so it cannot fight a running station
 * for an upstream (one request in flight per upstream): what it asks for is
 * queued in <data>/sync.sqlite and the station does it, at once when it runs,
 * else when it starts. What changes the sync (resend, retry, resume) is
 * written to the station's audit trail like the same request from the
 * console, with the shell user as its source.
 * Exit codes: 0 ok, 1 runtime error, 2 usage error.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultConfigFile, defaultDataDir } from '../args.js';
import { ConfigError, loadStationConfig } from '../station/config-file.js';
import type { StationConfig } from '../../shared/config.js';
import { syncStreams, type SyncStreamName } from '../../shared/config/sync.js';
import { UsageError, timeArg } from '../../../historian/cli/args.js';
import { exportQuarantine, formatStatus, quarantineTable, stationRunning } from './cli/output.js';
import { syncDbPath } from './service.js';
import { SyncStore } from './store/sync-store.js';
import { AuditTrail } from '../accounts/audit/trail.js';
import { cliSource } from '../accounts/cli/context.js';
import type { AuditDetails } from '../api/audit-sink.js';

const usage = `usage: npm run sync -- <command> [options]

commands:
  status [--json]                                   state, backlog, last success and error, quarantine per upstream
  resend --from T --to T [--upstream ID] [--stream samples|gaps|alarms|audit] [--comment TEXT]
                                                    send a time range again (ISO 8601 or epoch ms)
  quarantine list [--upstream ID] [--limit N] [--json]
  quarantine retry [--upstream ID] [--ids 1,2,3] [--comment TEXT]
                                                    try lines the upstream refused again (also: retry)
  quarantine export --out FILE [--format csv|lp] [--upstream ID]   (also: export)
  resume [--upstream ID] [--comment TEXT]           a paused upstream tries again now

options:
  --data DIR       the station's data directory (default ${defaultDataDir()})
  --config FILE    the station config (default <data>/station.yaml, else the bundled default)

Nothing is sent from here: requests are queued in <data>/sync.sqlite for the station.
resend, retry and resume are written to the audit trail (<data>/audit.sqlite).
Exit codes: 0 ok, 1 runtime error, 2 usage error.
`;

const options = {
  data: { type: 'string' }, config: { type: 'string' }, json: { type: 'boolean' }, from: { type: 'string' }, to: { type: 'string' },
  upstream: { type: 'string' }, stream: { type: 'string' }, comment: { type: 'string' }, limit: { type: 'string' }, ids: { type: 'string' },
  out: { type: 'string' }, format: { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    err.write(`sync: ${(e as Error).message}\n\n${usage}`);
    return 2;
  }
  const { values: v, positionals } = parsed;
  if (v.help || positionals.length === 0) {
    (v.help ? out : err).write(usage);
    return v.help ? 0 : 2;
  }
  let [command, sub] = positionals;
  if (command === 'retry' || command === 'export') [command, sub] = ['quarantine', command];
  try {
    const data = v.data ?? defaultDataDir();
    const config = loadConfig(data, v.config);
    const upstream = v.upstream ?? null;
    if (upstream !== null && !config.sync.upstreams.some((u) => u.id === upstream)) {
      throw new UsageError(`--upstream: unknown upstream "${upstream}"; the config has ${config.sync.upstreams.map((u) => u.id).join(', ') || 'none'}`);
    }
    const file = syncDbPath(data);
    if (!existsSync(file)) throw new Error(`${file} does not exist: the sync has never run with this data directory`);
    const store = SyncStore.open(file);
    let trail = null as AuditTrail | null; // opened by the first change: reading commands leave no file behind
    const audit = (action: string, details: Details, change: () => void) => {
      trail ??= AuditTrail.open(data);
      const entry = { user: null, role: null, action, source: cliSource(), ...details };
      try {
        change();
      } catch (e) {
        trail.record({ ...entry, result: 'failed', detail: (e as Error).message });
        throw e;
      }
      trail.record({ ...entry, result: 'ok' });
    };
    try {
      return await run(command!, sub, v, { store, config, upstream, data, out, audit });
    } finally {
      store.close();
      trail?.close();
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err.write(`sync ${command}: ${e.message}\n`);
      return 2;
    }
    err.write(`sync ${command}: ${e instanceof ConfigError ? e.message : (e as Error).message}\n`);
    return 1;
  }
}

type Details = Pick<AuditDetails, 'target' | 'newValue' | 'comment' | 'detail'>;

interface Ctx {
  store: SyncStore;
  config: StationConfig;
  upstream: string | null;
  data: string;
  out: NodeJS.WritableStream;
  /** Makes a change and writes its audit entry (ok, or failed with the error), as the console's request would. */
  audit(action: 'sync.resend' | 'sync.retry' | 'sync.resume', details: Details, change: () => void): void;
}

async function run(command: string, sub: string | undefined, v: Record<string, string | boolean | undefined>, c: Ctx): Promise<number> {
  const { store, config, upstream, out, audit } = c;
  const target = upstream ?? 'all upstreams';
  const comment = (v.comment as string | undefined) ?? null;
  const running = stationRunning(c.data);
  const who = `CLI ${process.env.USER ?? 'engineer'}${v.comment ? `: ${v.comment as string}` : ''}`;
  const targets = config.sync.upstreams.filter((u) => upstream === null || u.id === upstream);
  const then = running ? 'the station sends it now' : 'no station runs on this data directory: it is sent when the station starts';
  switch (command) {
    case 'status':
      out.write(v.json ? `${JSON.stringify({ running, upstreams: store.statuses(), losses: store.losses() })}\n` : formatStatus(store, config, running));
      return 0;
    case 'resend': {
      const from = timeArg('from', v.from as string | undefined), to = timeArg('to', v.to as string | undefined);
      if (from > to) throw new UsageError('--from must not be after --to');
      const stream = (v.stream ?? 'samples') as SyncStreamName;
      if (!syncStreams.includes(stream)) throw new UsageError(`--stream: expected one of ${syncStreams.join(', ')}; got "${stream}"`);
      const takers = targets.filter((u) => u.enabled && (u.streams ?? syncStreams).includes(stream));
      if (takers.length === 0) throw new UsageError(`no enabled upstream takes the ${stream} stream`);
      const range = { stream, from: new Date(from).toISOString(), to: new Date(to).toISOString() };
      audit('sync.resend', { target, newValue: range, comment, detail: `queued for ${takers.map((u) => u.id).join(', ')}` }, () => {
        for (const u of takers) store.addReplay({ upstream: u.id, stream, kind: 'time', from: String(from), to: String(to), reason: who, requestedAt: Date.now() });
      });
      out.write(`queued a re-send of ${stream} ${new Date(from).toISOString()} .. ${new Date(to).toISOString()} to ${takers.map((u) => u.id).join(', ')}; ${then}\n`);
      return 0;
    }
    case 'resume':
      audit('sync.resume', { target, comment }, () => {
        for (const u of targets) store.request(u.id, 'resume', Date.now());
      });
      out.write(`asked ${targets.map((u) => u.id).join(', ') || 'no upstream'} to resume; ${running ? 'the station picks it up within seconds' : 'a station resumes every upstream when it starts'}\n`);
      return 0;
    case 'quarantine':
      return quarantine(sub, v, c, then);
    default:
      throw new UsageError(`unknown command "${command}"\n\n${usage}`);
  }
}

async function quarantine(sub: string | undefined, v: Record<string, string | boolean | undefined>, c: Ctx, then: string): Promise<number> {
  const { store, upstream, out, audit } = c;
  switch (sub) {
    case 'list': {
      const limit = v.limit === undefined ? 100 : Number(v.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit: expected a positive integer; got "${v.limit as string}"`);
      const rows = store.quarantine({ upstream: upstream ?? undefined, limit });
      out.write(v.json ? `${JSON.stringify(rows)}\n` : quarantineTable(rows));
      return 0;
    }
    case 'retry': {
      const ids = v.ids === undefined ? undefined : (v.ids as string).split(',').map((x) => {
        if (!/^\d+$/.test(x.trim())) throw new UsageError(`--ids: expected ids such as 3,7,12; got "${v.ids as string}"`);
        return Number(x);
      });
      let n = 0;
      const details = { target: upstream ?? 'all upstreams', newValue: ids ? { ids } : 'all quarantined lines', comment: (v.comment as string | undefined) ?? null };
      audit('sync.retry', details, () => {
        n = store.markRetry({ upstream: upstream ?? undefined, ids });
      });
      out.write(`${n} quarantined line(s) marked for another try; ${then}\n` +
        'Lines the station itself refused (NaN, a line break, ...) cannot be sent as they are: export them instead.\n');
      return 0;
    }
    case 'export': {
      if (typeof v.out !== 'string') throw new UsageError('--out FILE: required');
      const format = (v.format ?? 'csv') as string;
      if (format !== 'csv' && format !== 'lp') throw new UsageError(`--format: expected csv or lp; got "${format}"`);
      const n = await exportQuarantine(store, upstream, v.out, format);
      out.write(`${n} quarantined line(s) written to ${v.out}\n`);
      return 0;
    }
    default:
      throw new UsageError(`quarantine: expected list, retry or export; got ${sub === undefined ? 'nothing' : `"${sub}"`}`);
  }
}

function loadConfig(data: string, explicit: string | undefined): StationConfig {
  if (explicit) return loadStationConfig(explicit);
  const own = join(data, 'station.yaml');
  return loadStationConfig(existsSync(own) ? own : defaultConfigFile);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: unknown) => {
    process.stderr.write(`sync: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  });
}
