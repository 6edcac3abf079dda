/**
 * `import` of files whose every row is refused, as a user runs it (a child process): the digest
 * lists 100 lines of each problem and counts the rest, exactly as when every rejection was kept
 * (the import now keeps only those: csv/rejection-log.ts). Expected lines are computed from how
 * the files were generated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historianCli } from '../testing/cli.js';

let dir: string;
const cli = (...args: string[]) => historianCli(dir, ...args);

beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'vigil-cli-refused-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const two = (n: number) => String(n).padStart(2, '0');
const SLASHED = 'expected ISO 8601 time (e.g. 2024-05-01T12:00:00.000Z), YYYY/MM/DD hh:mm:ss, DD.MM.YYYY hh:mm:ss or epoch seconds/milliseconds; ' +
  'DD/MM/YYYY or MM/DD/YYYY only with a date order (--date-order dmy|mdy)';

describe('historian import of a file every row of which is refused', { timeout: 120_000 }, () => {
  it('300,000 day-first dates without --date-order: 100 lines listed, the rest counted with their first and last line, the order said', () => {
    const rows = 300_000;
    // row i (line i + 2): day 1..28 of January, so the first day above 12 is on line 14
    const date = (line: number) => `${two(1 + ((line - 2) % 28))}/01/2024 ${two(Math.floor((line - 2) / 28) % 24)}:00:00`;
    const body: string[] = ['Zeit;TI101'];
    for (let line = 2; line < rows + 2; line++) body.push(`${date(line)};${20 + (line % 5)}`);
    writeFileSync(join(dir, 'refused.csv'), body.join('\n') + '\n');
    const r = cli('import', 'refused.csv', '--data', join(dir, 'refused'));
    expect(r.code).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    const listed = Array.from({ length: 100 }, (_, i) => `refused.csv:${i + 2}: field "Zeit": ${SLASHED}; got "${date(i + 2)}"`);
    expect(lines.slice(0, -1)).toEqual([
      ...listed,
      `refused.csv: ${rows - 100} more lines rejected for the same problem, lines 102 to ${rows + 1}: field "Zeit": ${SLASHED}; got "${date(102)}"`,
      `refused.csv: the file writes dates as nn/nn/YYYY, day first (line 14: "${date(14)}"): import it again with --date-order dmy (its lines archived already are not archived twice)`,
    ]);
    expect(lines.at(-1)).toMatch(new RegExp(`^refused\\.csv: summary: wide, ${rows} rows, 0 samples .*, ${rows} lines rejected$`));
    expect(r.stdout.split('\n')[0]).toBe(`refused.csv: 0 samples accepted (0 appended, 0 late), ${rows} lines rejected`);
  });

  it('two refused cells a row: lines counted once, each problem listed and counted, in line order then column order', () => {
    const rows = 100_000;
    const body = ['time,A,B'];
    for (let i = 0; i < rows; i++) body.push(`${new Date(Date.UTC(2024, 4, 1) + i * 1000).toISOString()},x${i % 3},y`);
    writeFileSync(join(dir, 'cells.csv'), body.join('\n') + '\n');
    const r = cli('import', 'cells.csv', '--data', join(dir, 'cells'), '--new-tags', 'analog');
    expect(r.code).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    const number = 'expected a number (decimal point, no thousands separator)';
    const cell = (line: number, field: string) => `cells.csv:${line}: field "${field}": ${number}; got "${field === 'A' ? `x${(line - 2) % 3}` : 'y'}"`;
    expect(lines.slice(0, -1)).toEqual([
      ...Array.from({ length: 100 }, (_, i) => [cell(i + 2, 'A'), cell(i + 2, 'B')]).flat(),
      `cells.csv: ${rows - 100} more lines rejected for the same problem, lines 102 to ${rows + 1}: field "A": ${number}; got "x${100 % 3}"`,
      `cells.csv: ${rows - 100} more lines rejected for the same problem, lines 102 to ${rows + 1}: field "B": ${number}; got "y"`,
    ]);
    expect(lines.at(-1)).toMatch(new RegExp(`, ${rows} lines rejected$`));
    expect(r.stdout.split('\n')[0]).toBe(`cells.csv: 0 samples accepted (0 appended, 0 late), ${rows} lines rejected`);
  });
});
