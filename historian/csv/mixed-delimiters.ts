/**
 * A header separated by one delimiter and the data by another, as UCI's "Gas sensor array under
 * dynamic gas mixtures" ethylene_CO.txt is (names by commas, data by tabs): split by the header's
 * delimiter every data line is one field, and was rejected one by one. The first data row says so;
 * the file is refused once, saying which delimiter each uses and what to do (records.ts).
 * No --delimiter reads such a file as it is: one delimiter splits every line.
 */
import { DELIMITERS, delimiterName } from './tokenize.js';

/** The candidate other than `d` that splits `text` into the most fields (at least two), or undefined. */
function otherDelimiter(text: string, d: string): { delimiter: string; fields: number } | undefined {
  let best: { delimiter: string; fields: number } | undefined;
  for (const c of DELIMITERS) {
    if (c === d) continue;
    const fields = text.split(c).length;
    if (fields > 1 && fields > (best?.fields ?? 1)) best = { delimiter: c, fields };
  }
  return best;
}

const plural = (d: string): string => `${delimiterName(d)}s`;

/**
 * The refusal of a file whose first data row (`row`, unquoted, split by `d`) is one field that another
 * delimiter splits, under a header `d` split into several; undefined when the row is none such.
 */
export function mixedDelimiters(header: readonly string[], headerLine: number, row: readonly string[], line: number, d: string): string | undefined {
  if (header.length < 2 || row.length !== 1) return undefined;
  const data = otherDelimiter(row[0]!, d);
  // A header holding the row's delimiter too (`Zeitstempel;Druck, bar`) was split at the wrong one: records.ts says so.
  if (data === undefined || header.join(d).includes(data.delimiter)) return undefined;
  const name = delimiterName(data.delimiter);
  return `the header and the data are separated differently: line ${headerLine} (the header) by ${plural(d)} (${header.length} names), ` +
    `line ${line} by ${plural(data.delimiter)} (${data.fields} fields); expected one delimiter on every line: write line ${headerLine} ` +
    `with a ${name} between the names, one name per column (${data.fields}), and import the file with --delimiter ${name}`;
}

/**
 * The refusal of a header that the --delimiter given (`d`) leaves one field while another delimiter
 * splits it (the header of such a file, its data's delimiter given); undefined otherwise.
 */
export function headerWithoutDelimiter(header: readonly string[], headerLine: number, d: string): string | undefined {
  if (header.length !== 1) return undefined;
  const other = otherDelimiter(header[0]!, d);
  if (other === undefined) return undefined;
  return `the header holds no ${delimiterName(d)} (--delimiter ${delimiterName(d)}) between its names, only ${plural(other.delimiter)} ` +
    `(${other.fields} names); expected the header separated as the data are: write line ${headerLine} with a ${delimiterName(d)} between the names, ` +
    'one name per column, or import the file without --delimiter';
}
