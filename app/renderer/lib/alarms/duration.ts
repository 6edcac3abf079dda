/**
 * Shelve durations as an operator types them: "30" (minutes), "45 min",
 * "2h", "1h30", "1:30" (h:mm), "90s". Returns minutes, or null when the text
 * is not a duration.
 */
const UNIT_MINUTES: Record<string, number> = { s: 1 / 60, sec: 1 / 60, m: 1, min: 1, h: 60, hr: 60 };

export function parseMinutes(text: string): number | null {
  const s = text.trim().toLowerCase().replace(',', '.');
  if (s === '') return null;
  let m = /^(\d+):([0-5]\d)$/.exec(s);
  if (m) return positive(Number(m[1]) * 60 + Number(m[2]));
  m = /^(\d+(?:\.\d+)?)\s*h\s*(\d+)\s*(?:m|min)?$/.exec(s);
  if (m) return positive(Number(m[1]) * 60 + Number(m[2]));
  m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/.exec(s);
  if (!m) return null;
  const unit = m[2] === '' ? 1 : UNIT_MINUTES[m[2]];
  return unit === undefined ? null : positive(Number(m[1]) * unit);
}

function positive(minutes: number): number | null {
  return Number.isFinite(minutes) && minutes > 0 ? minutes : null;
}

/** The preset lengths offered, up to the longest the operator may choose. */
export function shelvePresets(maxMinutes: number): number[] {
  return [15, 30, 60, 120, 240, 480, 720, 1440].filter((m) => m <= maxMinutes);
}
