/** What the sync CLI prints and writes: the status, the quarantine as a table, CSV or line protocol. */
import { readFileSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { stringify } from 'csv-stringify';
import type { StationConfig } from '../../../shared/config.js';
import type { UpstreamStatus } from '../status.js';
import type { QuarantineRow, SyncStore } from '../store/sync-store.js';
import { english, parseText } from '../../../shared/sync-text.js';
import { ageOf as age } from './duration.js';

const iso = (t: number | null | undefined) => (t == null ? '-' : new Date(t).toISOString());

/** A station runs on this data directory when the archive's writer lock names a live process here. */
export function stationRunning(dataDir: string): boolean {
  let owner: { pid?: number; host?: string };
  try {
    owner = JSON.parse(readFileSync(join(dataDir, 'archive', 'writer.lock'), 'utf8')) as typeof owner;
  } catch {
    return false; // no lock (or a half-written one): no station holds the archive
  }
  if (owner.host !== hostname()) return true;
  try {
    process.kill(owner.pid ?? -1, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function formatStatus(store: SyncStore, config: StationConfig, running: boolean, now = Date.now()): string {
  const snapshots = new Map(store.statuses().map((s) => [s.upstream, s]));
  const counts = store.quarantineCounts();
  const lines: string[] = [running ? 'station: running on this data directory' : 'station: not running (last status it wrote)'];
  if (config.sync.upstreams.length === 0) lines.push('no upstream configured (sync.upstreams in the station config)');
  for (const u of config.sync.upstreams) {
    const snap = snapshots.get(u.id);
    const s = snap?.status as UpstreamStatus | null | undefined;
    lines.push('', `${u.id}  ${u.flavour}  ${u.url}${u.enabled ? '' : '  (disabled)'}`);
    if (!s) { lines.push('  no status yet'); continue; }
    lines.push(
      `  state          ${s.state}${s.connected ? ', connected' : ''}  (as of ${iso(snap!.at)}, ${age(snap!.at, now)} ago)`,
      `  backlog        ${s.backlog.records} records, oldest ${age(s.backlog.oldestWrittenAt, now)}${s.backlog.oldestWrittenAt ? ' old' : ''}`,
      `  last success   ${iso(s.lastSuccessAt)}`,
      `  last error     ${s.lastError ? `${iso(s.lastError.at)}  ${s.lastError.message}${s.lastSuccessAt !== null && s.lastSuccessAt > s.lastError.at ? '  (before the last success)' : ''}` : '-'}`,
      `  paused         ${s.paused ? `since ${iso(s.paused.since)}: ${s.paused.reason}` : 'no'}`,
      `  quarantined    ${counts.get(u.id) ?? 0} line(s)`,
      `  sent           ${s.sentLines} lines, ${s.resentLines} sent again (retries, restarts, re-sends)`,
      `  re-sends       ${store.replays(u.id).length} waiting`,
    );
    if (s.restartCheck) lines.push(`  restart check  ${iso(s.restartCheck.at)}  ${restartCheckText(s.restartCheck)}`);
    if (s.alarm) lines.push(`  ALARM          ${s.alarm.message}`);
  }
  const losses = store.losses();
  // Said from the catalog (English), as the Sync page says it in the console's language; a row from before the text was kept, as stored.
  if (losses.length) {
    lines.push('', 'data missing upstream (aged out of the archive unsent, or lost by the upstream):',
      ...losses.map((l) => `  ${iso(l.at)}  ${l.upstream === null ? '' : `${l.upstream}  `}${l.stream}: ${l.text ? english(l.text) : l.detail}`));
  }
  return `${lines.join('\n')}\n`;
}

/** A restart check as the status a station wrote it: its catalog message in English, else (a status from before it was kept) its message. */
function restartCheckText(check: { message: string; text?: unknown }): string {
  const said = parseText(check.text);
  return said ? english(said) : check.message;
}

export function quarantineTable(rows: QuarantineRow[]): string {
  if (rows.length === 0) return 'the quarantine is empty\n';
  const out = rows.map((r) => `${r.id}\t${r.upstream}\t${r.stream}\t${r.origin}\t${r.key}\t${iso(r.t)}\t${r.retry ? 'retry' : 'held'}\t${r.reason}\n\t${r.line}`);
  return `id\tupstream\tstream\trefused by\tkey\ttime\tstate\treason\n${out.join('\n')}\n`;
}

/** Writes the quarantine (one upstream or all) as CSV, or as line protocol with the reasons as comments. */
export async function exportQuarantine(store: SyncStore, upstream: string | null, file: string, format: 'csv' | 'lp'): Promise<number> {
  const ws = createWriteStream(file, { flags: 'wx' });
  let n = 0;
  const write = async (text: string) => { if (!ws.write(text)) await once(ws, 'drain'); };
  const csv = format === 'csv' ? stringify({ header: true, columns: ['id', 'upstream', 'stream', 'refused_by', 'reason', 'key', 'time', 'quarantined_at', 'line', 'record'] }) : null;
  csv?.on('data', (chunk: Buffer) => ws.write(chunk));
  for (let after = 0; ;) {
    const rows = store.quarantine({ upstream: upstream ?? undefined, afterId: after, limit: 10_000 });
    if (rows.length === 0) break;
    for (const r of rows) {
      n++;
      if (csv) csv.write([r.id, r.upstream, r.stream, r.origin, r.reason, r.key, iso(r.t), iso(r.at), r.line, r.record ?? '']);
      else if (r.origin === 'upstream') await write(`# ${r.id} ${r.upstream}: ${r.reason.replace(/[\r\n]+/g, ' ')}\n${r.line}\n`);
      else await write(`# ${r.id} ${r.upstream}: refused by the station: ${r.reason.replace(/[\r\n]+/g, ' ')}\n# ${r.line.replace(/[\r\n]+/g, ' ')}\n`);
    }
    after = rows[rows.length - 1]!.id;
  }
  if (csv) {
    csv.end();
    await once(csv, 'end');
  }
  ws.end();
  await once(ws, 'finish');
  return n;
}
