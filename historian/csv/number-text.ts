/** A number as CSV text: String(v), but "-0" for negative zero (String(-0) is "0", and reads back as +0). */
export function numberText(v: number): string {
  return v === 0 && Object.is(v, -0) ? '-0' : String(v);
}

/** numberText(v) into out at `at` without making a string (room for 32 bytes needed); returns the end. */
export function writeCsvNumber(out: Uint8Array, at: number, v: number): number {
  if (v === 0 && Object.is(v, -0)) {
    out[at] = 45; // '-'
    out[at + 1] = 48;
    return at + 2;
  }
  return writeNumber(out, at, v);
}

/**
 * Numbers as text, straight into bytes: String(v) without making a string. Process values
 * are mostly decimals of a few places (a transmitter's resolution), and for those the digits
 * come from one integer: v = m / 10^d with the fewest places d. The text "m with d decimals"
 * then reads back as v exactly: parsing rounds the decimal m·10^-d to the nearest double, and
 * the division m / 10^d (both exact doubles) rounds the same quotient the same way; with the
 * fewest places it is also the shortest such text, which is what String(v) writes
 * (number-text.test.ts compares the two on random values). Anything else (more places, huge or
 * tiny magnitudes, NaN, infinities) goes through String(v).
 */

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
/**
 * Below 1e-6 and from 1e21 String(v) writes an exponent. With m below 2^51 the doubles near v
 * lie less than 10^-d apart (v·2^-52 < 10^-d / 2): one text of d places reads back as v, not two.
 */
const MAX_MANTISSA = 2 ** 51;

/** Digits of a non-negative integer below 2^53 into out at `at` (counted first, then written from the right); returns the end. */
function digits(out: Uint8Array, at: number, m: number): number {
  let n = 1;
  for (let p = 10; p <= m; p *= 10) n++;
  const end = at + n;
  for (let i = end - 1; i >= at; i--) {
    const q = Math.floor(m / 10);
    out[i] = 48 + (m - q * 10);
    m = q;
  }
  return end;
}

/** Writes String(v) for a finite v into out at `at` (room for 32 bytes needed); returns the end. */
export function writeNumber(out: Uint8Array, at: number, v: number): number {
  const a = v < 0 ? -v : v;
  if (a >= 1e-6 && a < 1e15) {
    for (let d = 0; d < POW10.length; d++) {
      const p = POW10[d]!;
      const m = Math.round(a * p);
      if (m >= MAX_MANTISSA) break;
      if (m / p !== a) continue;
      if (v < 0) out[at++] = 45; // '-'
      if (d === 0) return digits(out, at, m);
      // The integer part, the point, then d places (leading zeros kept).
      const intPart = Math.floor(m / p);
      let frac = m - intPart * p;
      at = digits(out, at, intPart);
      out[at] = 46; // '.'
      const end = at + 1 + d;
      for (let i = end - 1; i > at; i--) {
        const q = Math.floor(frac / 10);
        out[i] = 48 + (frac - q * 10);
        frac = q;
      }
      return end;
    }
  }
  if (a === 0) { // 0 and -0 both read "0", as String(v) writes them (writeCsvNumber writes -0)
    out[at] = 48;
    return at + 1;
  }
  const s = String(v);
  for (let k = 0; k < s.length; k++) out[at + k] = s.charCodeAt(k);
  return at + s.length;
}
