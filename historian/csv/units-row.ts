/**
 * A row of units under a wide header, as DCS and historian exports write it (Timestamp,LI101,PI102
 * then ,m,bar): its time cell empty or a word for units, every tag cell empty or a short word that
 * is no number, one at least not empty. Read as the units of the tags the import creates, not
 * rejected as a row without a time (the units were lost, and the import exited 1).
 */
import { looksNumeric } from './value.js';

/** Longest text taken as a unit (°C, m3/h, kg/cm2 g, mg/Nm3, %LEL); a longer one is a description. */
const UNIT_LIMIT = 16;

/** What the time cell of a units row may say: nothing, or "units" in the languages the importer reads headers in. */
const UNITS_WORD = /^(|units?|eu|engineering units?|uom|einheit(en)?|unit[ée]s?|unidad(es)?|единицы( измерения)?|ед\.? ?изм\.?|单位)$/i;

/** The units by column (index: unit; '' where none) when `fields` is a units row, else undefined. */
export function unitsRow(fields: readonly string[], time: number, timeOfDay: number, tagColumns: readonly boolean[]): string[] | undefined {
  if (!UNITS_WORD.test(fields[time]?.trim() ?? '') || (timeOfDay >= 0 && (fields[timeOfDay]?.trim() ?? '') !== '')) return undefined;
  let any = false;
  const units = fields.map((f, i) => (tagColumns[i] ? f.trim() : ''));
  for (const u of units) {
    if (u === '') continue;
    if (u.length > UNIT_LIMIT || looksNumeric(u) || !/\p{L}|\p{So}|%|°/u.test(u)) return undefined;
    any = true;
  }
  return any ? units : undefined;
}
