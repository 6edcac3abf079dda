/**
 * The console's trend export (app/main/trends/export/format.ts) read back by the import. Its
 * file opens with a header block of records whose first field starts with '#' ("# Vigil trend
 * export,1", station, range, "# pen" per tag version), then the export's column names and rows,
 * and ends with "# sha256,<hex>,rows,<n>". Its text cells carry the spreadsheet-formula guard: an
 * apostrophe before a leading = + - @ tab or CR (format.ts guardCell), undone here. Other files'
 * comment lines stay refused (records.ts noTimeColumn): one may say what the rows mean (a zone).
 */
import type { TagKind } from '../types.js';

/** The first field of the file's first record: the block is the console's. */
export const TREND_EXPORT_MARK = '# Vigil trend export';

/** What the header block says: each pen's kind (a raw export has no kind column), and its shape. */
export interface TrendExportBlock {
  kinds: Map<string, TagKind>;
  shape?: string;
}

const KINDS: readonly string[] = ['analog', 'discrete', 'text'];

/** A header-block record: what it says is noted in `block`. */
export function noteBlockRecord(block: TrendExportBlock, fields: readonly string[]): void {
  const name = fields[0]!.trim();
  if (name === '# pen' && KINDS.includes(fields[3] ?? '')) block.kinds.set(unguard(fields[1]!.trim()), fields[3] as TagKind);
  else if (name === '# shape') block.shape = fields[1]?.trim();
}

/** The closing hash line (nothing to archive). */
export const isHashLine = (fields: readonly string[]): boolean => fields[0]!.trim() === '# sha256';

/** A cell without format.ts's formula guard: "'=SUM(A1)" is "=SUM(A1)", "'-" is "-"; any other cell as it is. */
export function unguard(cell: string): string {
  return cell.length > 1 && cell.charCodeAt(0) === 0x27 && /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}
