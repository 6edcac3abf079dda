/**
 * An export's flags cell read back (write.ts flagNames: Vigil's Flag names joined by '|'). Of
 * them the archive keeps Cyclic (a HIST cyclic record) and Backfilled (filled from a server's
 * history) with each point; the others a read adds (Interpolated, Calculated, Partial, Bounding;
 * NoData rows are no value and skipped before). Read as nothing, an export imported again
 * replaced its cyclic and back-filled points with plain ones: gap-filled history passed for live data.
 */
import { Flag } from '../types.js';

/** The flags the archive stores with a point; the rest are a read's. */
export const ARCHIVED_FLAGS = Flag.Cyclic | Flag.Backfilled;

const BY_NAME = new Map(Object.entries(Flag).map(([name, bit]) => [name.toLowerCase(), bit] as const));

/**
 * The archived flags a cell says (0: none; an empty cell is none), or undefined when the cell is
 * not Vigil's: PI's value flags then (records.ts, quality-flags.ts piFlagsStatus), or a rejected line.
 */
export function archivedFlagsOf(cell: string): number | undefined {
  const text = cell.trim();
  if (text === '') return 0;
  let flags = 0;
  for (const name of text.split('|')) {
    const bit = BY_NAME.get(name.trim().toLowerCase());
    if (bit === undefined) return undefined;
    flags |= bit;
  }
  return flags & ARCHIVED_FLAGS;
}
