/**
 * The zone a time column's name states: HMI and historian exports write it there rather than in
 * each cell ("Time (UTC+01:00)", "Local Time", "Zeitstempel (MEZ)"). Read as UTC, such a file's
 * times were archived an hour or more off. An offset is applied; a zone named otherwise (local
 * time, an abbreviation such as MEZ or EST, which say no rule for DST) is for --tz to give.
 */

export type HeaderZone = { offsetMinutes: number; text: string } | { local: string } | undefined;

/** UTC+01:00, GMT-5, UTC +0530 (a sign is needed: "UTC" alone is UTC). */
const NAMED_OFFSET = /\b(?:utc|gmt)\s*([+\-\u2212])\s*(\d{1,2})(?::?(\d{2}))?(?!\d)/i;
/** An offset alone in brackets: "Time (+01:00)". */
const BRACKET_OFFSET = /[([]\s*([+\-\u2212])(\d{2}):?(\d{2})\s*[)\]]/;
/** Words that say the times are local to a zone the name does not give as an offset. */
const LOCAL_WORDS = /\b(local|lokal|ortszeit|mez|mesz|cet|cest|eet|eest|wet|west|bst|est|edt|cst|cdt|mst|mdt|pst|pdt|msk|ist|jst|aest|aedt)\b|местное|本地/i;

/** What the header name of a time column says of its zone (undefined: nothing, so UTC or --tz as usual). */
export function headerZone(name: string): HeaderZone {
  const m = NAMED_OFFSET.exec(name) ?? BRACKET_OFFSET.exec(name);
  if (m) {
    const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
    if (minutes > 14 * 60) return { local: m[0] }; // no zone is that far from UTC: not an offset to trust
    return { offsetMinutes: m[1] === '+' ? minutes : -minutes, text: m[0].trim() };
  }
  const local = LOCAL_WORDS.exec(name);
  return local ? { local: local[0] } : undefined;
}
