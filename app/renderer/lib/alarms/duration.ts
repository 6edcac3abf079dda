/**
 * Shelve durations as an operator types them, in the console's languages:
 * "30" (minutes), "45 min", "45 мин", "45分钟", "2h", "2 ч", "2小时", "1h30",
 * "1 ч 30 мин", "1小时30分", "1:30" (h:mm), "90s", "90 сек", "90秒".
 * Returns minutes, or null when the text is not a duration.
 */
const SECOND = ['s', 'sec', 'secs', 'second', 'seconds', 'с', 'сек', 'секунда', 'секунды', 'секунд', 'секунду', '秒', '秒钟'];
const MINUTE = ['m', 'min', 'mins', 'minute', 'minutes', 'м', 'мин', 'минута', 'минуты', 'минут', 'минуту', '分', '分钟'];
const HOUR = ['h', 'hr', 'hrs', 'hour', 'hours', 'ч', 'час', 'часа', 'часов', '小时', '时', '个小时', '钟头', '个钟头'];

/** Unit word -> minutes. */
const UNIT_MINUTES = new Map<string, number>([
  ...SECOND.map((u): [string, number] => [u, 1 / 60]),
  ...MINUTE.map((u): [string, number] => [u, 1]),
  ...HOUR.map((u): [string, number] => [u, 60]),
]);

export function parseMinutes(text: string): number | null {
  // Full-width digits and colon (a Chinese IME types "４５：３０") as ASCII; "0,5" as "0.5".
  let s = text.normalize('NFKC').trim().toLowerCase().replace(/(\d),(\d)/g, '$1.$2');
  if (s === '') return null;
  const hm = /^(\d+):([0-5]\d)$/.exec(s);
  if (hm) return positive(Number(hm[1]) * 60 + Number(hm[2]));
  // An abbreviation's dot ("мин.", "ч.") ends its word and nothing more.
  s = s.replace(/(?<=\p{L})\./gu, '');
  const parts: { n: number; unit: string }[] = [];
  const part = /\s*(\d+(?:\.\d+)?)\s*(\p{L}*)\s*/uy;
  while (part.lastIndex < s.length) {
    const m = part.exec(s);
    if (!m) return null;
    parts.push({ n: Number(m[1]), unit: m[2]! });
  }
  if (parts.length === 0) return null;
  if (parts.length === 1 && parts[0]!.unit === '') return positive(parts[0]!.n);
  let total = 0;
  let last = Infinity; // the previous part's unit: each part's unit smaller than the one before
  for (const { n, unit } of parts) {
    // A bare number after hours is minutes ("1h30", "1 ч 30").
    const size = unit === '' ? (last === 60 ? 1 : undefined) : UNIT_MINUTES.get(unit);
    if (size === undefined || size >= last) return null;
    total += n * size;
    last = size;
  }
  return positive(total);
}

function positive(minutes: number): number | null {
  return Number.isFinite(minutes) && minutes > 0 ? minutes : null;
}

/** The preset lengths offered, up to the longest the operator may choose. */
export function shelvePresets(maxMinutes: number): number[] {
  return [15, 30, 60, 120, 240, 480, 720, 1440].filter((m) => m <= maxMinutes);
}
