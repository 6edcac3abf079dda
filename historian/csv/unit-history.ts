/**
 * A tag's units over time, as the archive keeps them (each configuration version's unit from its
 * validFrom) and as a file states them (a long file's unit cell on each row, an export's unit in
 * force at each row's time). A value means nothing without its unit: 170 archived where bar was
 * in force reads as 170 bar.
 *
 * A tag the import creates gets the units its rows state: its first version takes the unit of its
 * earliest row, and each row in another unit than the one before it in time opens a version at that
 * row's time, so Vigil's own export across a unit change imports losslessly into an empty archive.
 * Nothing an archive held before the import is changed by a file: a row contradicting it is rejected.
 */
import type { Sample } from '../types.js';
import { formatTime } from './time.js';

/** One unit of a tag from a time on ('' none): a configuration version's. In time order. */
export interface UnitSpan {
  validFrom: number;
  unit: string;
}

/** A sample of a tag new to the archive with the unit its row stated (records.ts): the import makes the tag's unit history of them. */
export interface UnitSample extends Sample {
  unit?: string;
}

/** The sample with the unit its row stated; no unit (an empty cell) states none. */
export function withUnit<S extends Sample>(sample: S, unit: string | undefined): S {
  if (unit !== undefined && unit !== '') (sample as UnitSample).unit = unit;
  return sample;
}

/** The unit in force at t: the last span from at or before t; before the first, the first (as store/versions.ts versionAt). */
export function unitAt(spans: readonly UnitSpan[], t: number): string {
  let lo = 0, hi = spans.length - 1, found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid]!.validFrom <= t) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return spans[found]?.unit ?? '';
}

/** A unit as a message quotes it. */
export const quoteUnit = (unit: string): string => JSON.stringify(unit);

/** "bar until 2026-11-01T00:00:10.000Z, kPa since then": a tag's units in the archive, said in a refusal. */
export function describeUnits(spans: readonly UnitSpan[]): string {
  return spans.map((s, i) => {
    const next = spans[i + 1];
    const unit = s.unit === '' ? 'no unit' : quoteUnit(s.unit);
    if (spans.length === 1) return unit;
    return next === undefined ? `${unit} since ${formatTime(s.validFrom)}` : i === 0 ? `${unit} until ${formatTime(next.validFrom)}` : `${unit} from ${formatTime(s.validFrom)}`;
  }).join(', ');
}

/**
 * Unit changes an import makes of one tag at most: an export across configuration changes holds a
 * few; a file whose unit flips row by row (two sources under one name) would fill the catalog.
 */
export const MAX_UNIT_CHANGES = 100;
