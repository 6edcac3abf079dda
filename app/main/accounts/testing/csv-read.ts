/** For tests: CSV text back into rows, by the historian's own RFC 4180 tokenizer (independent of csv-stringify). */
import { CsvTokenizer } from '../../../../historian/csv/tokenize.js';

export function readCsvRows(text: string): Record<string, string>[] {
  const records: string[][] = [];
  const t = new CsvTokenizer({
    record: (fields) => records.push(fields),
    badRecord: (line, _end, field, message) => {
      throw new Error(`line ${line} field ${field}: ${message}`);
    },
  }, ',');
  t.push(text);
  t.end();
  const [header, ...rows] = records;
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}
