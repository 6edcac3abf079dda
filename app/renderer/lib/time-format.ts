/** Local time for people, with the UTC offset so a reading is never ambiguous. */

const pad = (n: number, w = 2) => String(Math.trunc(Math.abs(n))).padStart(w, '0');

/** "+02:00" for a local time two hours ahead of UTC. */
export function utcOffset(d: Date): string {
  const minutes = -d.getTimezoneOffset();
  return `${minutes < 0 ? '-' : '+'}${pad(minutes / 60)}:${pad(minutes % 60)}`;
}

export function timeOfDay(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function dateOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** ISO 8601 local time with offset, to the millisecond: "2025-11-21T06:01:02.345+01:00". */
export function isoLocal(ms: number): string {
  const d = new Date(ms);
  return `${dateOf(ms)}T${timeOfDay(ms)}.${pad(d.getMilliseconds(), 3)}${utcOffset(d)}`;
}
