/**
 * Volume administration: detach (close, skip in reads), re-attach, export to one
 * self-contained file, import such a file, and retention. The tags' counters follow what
 * the attached volumes hold: a volume going away takes its values off them, one coming back
 * or imported adds its own.
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TagConfig, TagKind } from '../types.js';
import type { TagRow, VolumeInfo } from './catalog.js';
import type { VolumePeriod } from './periods.js';
import { counterRow, countAttached, setCounts } from './recovery.js';
import { FORMAT, LEGACY_FORMATS, RELABELLED_FORMATS, openReadOnly, readMeta } from './schema.js';
import { VolumeUnreadableError, fileProblem, isDamage } from './unreadable.js';
import { versionAt } from './versions.js';
import { type CountDelta, VolumeStore } from './volume.js';
import type { Writer } from './writer.js';

const DAY = 86_400_000;

/**
 * Seals the open blocks a volume holds and forgets them: their tags start new blocks elsewhere.
 * Returns what it holds per tag; undefined when its file is missing or damaged (not touched).
 */
function letGo(w: Writer, v: VolumeInfo): Map<number, CountDelta> | undefined {
  w.flush();
  for (const tw of w.tags.values()) if (tw.open?.vol.id === v.id) tw.open = null;
  let counts: Map<number, CountDelta> | undefined = new Map<number, CountDelta>();
  if (v.state === 'attached') {
    counts = w.volumes.tryRead(v, (store) => {
      store.db.transaction(() => store.sealAll((id) => steppedNow(w, id), w.opts.blockSize))();
      return store.counts();
    }, true);
  }
  w.volumes.release(v.id);
  return counts;
}

/**
 * The counters without volume `id`: taken off what it holds, or, when its file cannot be read,
 * counted again from the other attached volumes. Returns the rows to save.
 */
function countersWithout(w: Writer, id: number, counts: Map<number, CountDelta> | undefined): TagRow[] {
  return counts ? applyCounts(w, counts, -1) : setCounts(w.tags.values(), countAttached(w.volumes, id));
}

function steppedNow(w: Writer, tagId: number): boolean {
  for (const tw of w.tags.values()) if (tw.id === tagId) return versionAt(tw.versions, w.opts.now())!.config.stepped;
  return false;
}

/** Adds (sign 1) or takes off (-1) a volume's values from the tags' counters; returns the rows to save. */
function applyCounts(w: Writer, counts: Map<number, CountDelta>, sign: 1 | -1): TagRow[] {
  const rows: TagRow[] = [];
  for (const tw of w.tags.values()) {
    const c = counts.get(tw.id);
    if (!c) continue;
    tw.stored += sign * c.samples;
    tw.added += sign * c.added;
    if (sign === 1) tw.received = Math.max(tw.received, tw.stored - tw.added);
    rows.push(counterRow(tw));
  }
  return rows;
}

export function detachVolume(w: Writer, id: number): VolumeInfo {
  const v = w.volumes.byId(id);
  if (v.state === 'detached') return v;
  if (v.end > w.opts.now()) throw new Error(`volume ${v.file}: cannot detach the volume of the present (it ends ${new Date(v.end).toISOString()})`);
  const counts = letGo(w, v);
  // A file that cannot be read only leaves the catalog's list: it stays as it is on disk.
  w.catalog.setVolumeState(id, 'detached', w.opts.now(), countersWithout(w, id, counts));
  w.volumes.forget(id);
  w.volumes.reload();
  return w.volumes.byId(id);
}

export function attachVolume(w: Writer, id: number): VolumeInfo {
  const v = w.volumes.byId(id);
  if (v.state === 'attached') return v;
  const file = w.volumes.path(v);
  const cause = fileProblem(file); // read-only first: a damaged file is not opened for writing
  if (cause !== null) throw new VolumeUnreadableError(v, file, cause, false);
  const store = new VolumeStore(file, v); // validates the meta, migrates an older format
  let counts: Map<number, CountDelta>;
  try {
    counts = store.counts();
  } finally {
    store.close();
  }
  w.catalog.setVolumeState(id, 'attached', w.opts.now(), applyCounts(w, counts, 1));
  w.volumes.forget(id);
  w.volumes.reload();
  return w.volumes.byId(id);
}

/** One self-contained copy: the volume's data plus the tags and versions it refers to. */
export function exportVolume(w: Writer, id: number, target: string): void {
  const v = w.volumes.byId(id);
  if (existsSync(target)) throw new Error(`export of ${v.file}: ${target} already exists`);
  w.flush();
  const path = w.volumes.path(v);
  const cause = v.state === 'attached' ? null : fileProblem(path);
  if (cause !== null) throw new VolumeUnreadableError(v, path, cause, false);
  const source = v.state === 'attached' ? w.volumes.store(v).db : openReadOnly(path);
  try {
    source.prepare('VACUUM INTO ?').run(target);
  } catch (err) {
    if (!isDamage(err)) throw err;
    rmSync(target, { force: true }); // a partial copy is no export
    throw v.state === 'attached' ? w.volumes.markUnreadable(v, err) : new VolumeUnreadableError(v, path, err, false);
  } finally {
    if (v.state !== 'attached') source.close();
  }
  const out = new Database(target);
  try {
    out.exec(`CREATE TABLE tag(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, kind TEXT NOT NULL);
      CREATE TABLE tag_version(tag_id INTEGER NOT NULL, version INTEGER NOT NULL, valid_from INTEGER NOT NULL,
        valid_to INTEGER, config TEXT NOT NULL, PRIMARY KEY(tag_id, version)) WITHOUT ROWID;`);
    const used = new Set((out.prepare(`SELECT DISTINCT tag_id FROM block UNION SELECT DISTINCT tag_id FROM event
      UNION SELECT DISTINCT tag_id FROM ${out.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'segment'").pluck().get() ? 'segment' : 'block'}`)
      .pluck().all() as number[]));
    const putTag = out.prepare('INSERT INTO tag(id, name, kind) VALUES (?, ?, ?)');
    const putVersion = out.prepare('INSERT INTO tag_version VALUES (?, ?, ?, ?, ?)');
    out.transaction(() => {
      for (const tw of w.tags.values()) {
        if (!used.has(tw.id)) continue;
        putTag.run(tw.id, tw.name, tw.kind);
        for (const ver of tw.versions) putVersion.run(tw.id, ver.version, ver.validFrom, ver.validTo, JSON.stringify(ver.config));
      }
    })();
  } finally {
    out.close();
  }
}

/**
 * Imports an exported volume: checked (integrity, format, tags), copied under volumes/, its tag
 * ids mapped to this archive's (tags it does not know are created), its open segments sealed,
 * every row given the next write sequence number (the change feed sends it), then attached.
 * A period that overlaps a listed volume is refused.
 */
export function importVolume(w: Writer, file: string, defineTag: (config: TagConfig, validFrom: number) => void): VolumeInfo {
  const src = openReadOnly(file);
  let meta: Map<string, string>, tags: { id: number; name: string; kind: TagKind }[], versions: { tag_id: number; valid_from: number; config: string }[];
  try {
    const check = src.prepare('PRAGMA integrity_check').pluck().all() as string[];
    if (check.length !== 1 || check[0] !== 'ok') throw new Error(`import ${file}: integrity_check: ${check.slice(0, 3).join('; ')}`);
    meta = readMeta(src);
    const format = meta.get('format') ?? '';
    if (format !== FORMAT && !RELABELLED_FORMATS.includes(format) && !LEGACY_FORMATS.includes(format)) throw new Error(`import ${file}: meta.format: expected ${FORMAT}, got ${format}`);
    const hasTags = src.prepare("SELECT count(*) FROM sqlite_master WHERE name IN ('tag', 'tag_version')").pluck().get() as number;
    if (hasTags !== 2) throw new Error(`import ${file}: tables tag and tag_version: missing (not a file made by export)`);
    tags = src.prepare('SELECT id, name, kind FROM tag').all() as typeof tags;
    versions = src.prepare('SELECT tag_id, valid_from, config FROM tag_version ORDER BY tag_id, version').all() as typeof versions;
  } catch (err) {
    // SQLite names no file ("file is not a database"): say which, and what was expected.
    const code = (err as { code?: string }).code;
    throw code?.startsWith('SQLITE') ? new Error(`import ${file}: ${(err as Error).message} (expected a volume file made by \`volumes export\`)`, { cause: err }) : err;
  } finally {
    src.close();
  }
  const period = meta.get('period') as VolumePeriod, start = Number(meta.get('start')), end = Number(meta.get('end'));
  if (!['day', 'week', 'month'].includes(period) || !(end > start)) throw new Error(`import ${file}: meta: period/start/end malformed`);
  const clash = w.volumes.all().find((v) => v.start < end && start < v.end);
  if (clash) throw new Error(`import ${file}: its period overlaps volume ${clash.file} (${clash.state}); drop or move that one first`);

  const idMap = new Map<number, number>();
  for (const t of tags) {
    let local = w.tags.get(t.name);
    if (!local) {
      for (const v of versions.filter((x) => x.tag_id === t.id)) defineTag(JSON.parse(v.config) as TagConfig, v.valid_from);
      local = w.tag(t.name);
    }
    if (local.kind !== t.kind) throw new Error(`import ${file}: tag '${t.name}' is ${t.kind} there but ${local.kind} here`);
    idMap.set(t.id, local.id);
  }
  const info = w.catalog.addVolume(`import-${period}-${new Date(start).toISOString().slice(0, 10)}-${Date.now()}.sqlite`, period, start, end, 'detached');
  const dest = w.volumes.path(info);
  copyFileSync(file, dest);
  const store = new VolumeStore(dest, { period, start, end }); // migrates an older format
  const seq = w.nextSeq();
  let counts: Map<number, CountDelta>;
  try {
    counts = store.db.transaction(() => {
      // Two passes through negative ids so that a mapping never collides with an id not yet mapped.
      for (const table of ['block', 'segment', 'event']) {
        const upd = store.db.prepare(`UPDATE ${table} SET tag_id = ? WHERE tag_id = ?`);
        for (const [from, to] of idMap) upd.run(-to, from);
        store.db.prepare(`UPDATE ${table} SET tag_id = -tag_id WHERE tag_id < 0`).run();
      }
      store.db.exec('DROP TABLE tag; DROP TABLE tag_version;');
      // Segments that were open when the file was exported are closed blocks here.
      store.sealAll((id) => steppedNow(w, id), w.opts.blockSize);
      store.restamp(seq);
      // Renumbering the blocks' tags deleted their rollups (the triggers): made again under the new ids.
      store.rollUpAll(true);
      return store.counts();
    })();
  } finally {
    store.close();
  }
  let samples = 0;
  for (const c of counts.values()) samples += c.samples;
  applyCounts(w, counts, 1);
  w.commitExternal(seq, samples, info.id);
  w.catalog.setVolumeState(info.id, 'attached', w.opts.now());
  w.volumes.reload();
  return w.volumes.byId(info.id);
}

export interface RetentionPolicy {
  /** Drop volumes whose period ended more than this many days ago. */
  maxAgeDays?: number;
  /** Keep at most this many volumes (the newest). */
  maxVolumes?: number;
}

/** Drops whole volumes (files and catalog rows); returns what was dropped. */
export function applyRetention(w: Writer, policy: RetentionPolicy, now: number): VolumeInfo[] {
  const all = [...w.volumes.all()];
  const drop = new Set<VolumeInfo>();
  if (policy.maxAgeDays !== undefined) for (const v of all) if (v.end <= now - policy.maxAgeDays * DAY) drop.add(v);
  if (policy.maxVolumes !== undefined) for (const v of all.slice(0, Math.max(0, all.length - policy.maxVolumes))) drop.add(v);
  const why = [policy.maxAgeDays !== undefined ? `older than ${policy.maxAgeDays} days` : '',
    policy.maxVolumes !== undefined ? `beyond the newest ${policy.maxVolumes} volumes` : ''].filter(Boolean).join(' or ');
  const dropped: VolumeInfo[] = [];
  for (const v of drop) {
    if (v.end > now) continue; // never the present
    // A damaged file is kept, listed, for whoever looks into it (w.volumes.problems() names it); a missing one goes.
    if (v.state === 'detached' && fileProblem(w.volumes.path(v)) instanceof Error) continue;
    const counts = letGo(w, v);
    if (!counts && existsSync(w.volumes.path(v))) continue;
    w.catalog.removeVolume(v.id, `dropped by retention (${why})`, now, countersWithout(w, v.id, counts));
    w.volumes.forget(v.id);
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(w.volumes.folder, v.file + suffix), { force: true });
    dropped.push(v);
  }
  w.volumes.reload();
  return dropped;
}
