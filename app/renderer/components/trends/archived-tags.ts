/**
 * Tags the archive holds that the station's configuration no longer names (renamed or removed):
 * kept under their old names, so trended over history and exported like any tag, never live.
 */
import type { ArchivedTag, TagInfo } from '../../../shared/api.js';

/**
 * The archived tags the configuration does not name, as the trend's tag information: what the
 * historian's catalog kept of their last configuration. No server acquires them (server ''), so a
 * trend never holds their last value as live.
 */
export function archivedOnly(archived: readonly ArchivedTag[], configured: readonly TagInfo[]): TagInfo[] {
  const names = new Set(configured.map((t) => t.name));
  return archived
    .filter((a) => !names.has(a.name))
    .map((a) => ({
      name: a.name, description: a.description, unit: a.unit, range: a.range, kind: a.kind,
      area: '', equipment: null, role: 'other', server: '', nodeId: '', decimals: null, dataType: null, states: null,
    }));
}
