/**
 * What the archive says it no longer has (historian/read/changes.ts LostVolumes), as a catalog
 * message, part by part, so the Sync page says it in the console's language. Its English rendering
 * is the archive's own text (`reason`); a part the archive did not give as facts is said as its text.
 */
import type { GoneReason, LostPart, LostVolumes, VolumeProblem } from '../../../../historian/index.js';
import { type SyncText, text } from '../../../shared/sync-text.js';

/** The whole reason; null when the archive gave no parts (an archive library of an earlier version). */
export function archiveLossText(lost: LostVolumes): SyncText | null {
  if (!lost.parts || lost.parts.length === 0) return null;
  const parts = lost.parts.map(partText);
  return parts.length === 1 ? parts[0]! : text('sync.loss.list', { parts });
}

/** The reason with the volume of one hole (or the volumes of the read), as the samples stream words it. */
export function inVolumeText(reason: SyncText, file: string): SyncText {
  return text('sync.loss.inVolume', { reason, file });
}

function partText(p: LostPart): SyncText {
  switch (p.kind) {
    case 'gone':
      return text('sync.loss.volumesGone', { parts: p.volumes.map((v) => text('sync.loss.volumeGone', { file: v.file, why: goneText(v.reason) })) });
    case 'unreadable':
      return text('sync.loss.volumesUnreadable', { parts: p.volumes.map(problemText) });
    case 'restarted':
      return text('sync.loss.archiveRestored', { read: p.read, head: p.head });
  }
}

function goneText(r: GoneReason): SyncText | string {
  switch (r.kind) {
    case 'detached':
      return text('sync.loss.goneDetached');
    case 'retention':
      if (r.maxAgeDays !== undefined && r.maxVolumes !== undefined) return text('sync.loss.goneByAgeOrCount', { days: r.maxAgeDays, volumes: r.maxVolumes });
      return r.maxAgeDays !== undefined ? text('sync.loss.goneByAge', { days: r.maxAgeDays }) : text('sync.loss.goneByCount', { volumes: r.maxVolumes ?? 0 });
    case 'other':
      return r.text;
  }
}

function problemText(p: VolumeProblem): SyncText {
  if (p.missing === undefined || p.advice === undefined || p.dataDir === undefined) return text('sync.loss.station', { detail: p.message });
  // SQLite's own words for a damaged file stay as they are (an error code an engineer looks up).
  const cause = p.missing ? text('sync.loss.fileMissing') : p.reason;
  const advice = p.advice === 'present' ? text('sync.loss.adviceWritten', { endAt: p.end })
    : p.advice === 'detached' ? text('sync.loss.adviceDetached')
      : text('sync.loss.advicePast', { startAt: p.start, endAt: p.end, file: p.volume, dataDir: p.dataDir });
  return text('sync.loss.volumeUnreadable', { file: p.volume, path: p.path, cause, advice });
}
