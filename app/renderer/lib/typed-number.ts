/**
 * A number as an engineer types it in the console's language: the locale's decimal mark (a comma
 * in Russian; a point is taken there too), spaces between thousands, a − sign. Where the comma
 * groups thousands (English) it must group them ("1,000"): "10,5" is no number there, not 105.
 * NaN when the text is no number.
 */
export function parseTypedNumber(text: string, commaDecimal: boolean): number {
  let s = text.trim().replace(/[\s\u00a0\u202f]/g, '').replace('\u2212', '-');
  if (!commaDecimal && s.includes(',') && !/^[-+]?\d{1,3}(,\d{3})+(\.\d*)?$/.test(s)) return NaN;
  s = commaDecimal ? s.replace(',', '.') : s.replace(/,/g, '');
  return s !== '' && /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s) ? Number(s) : NaN;
}
