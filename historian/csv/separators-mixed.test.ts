/**
 * Files whose header and data are separated differently, as UCI's "Gas sensor array under dynamic
 * gas mixtures" ethylene_CO.txt is (its header by commas, naming 16 sensor channels in one name; its
 * data by tabs, 19 fields): refused once, saying so and how to import it, not every data line
 * rejected one by one. And refusals quote a tab- or semicolon-separated line as written.
 * Read through readCsv (the reader's own stream path), messages checked against the file as written.
 */
import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { readCsv, type CsvReadOptions } from './read.js';

async function read(content: string, opts: Partial<CsvReadOptions> = {}) {
  const rejections: string[] = [];
  let samples = 0;
  for await (const b of readCsv(Readable.from([Buffer.from(content, 'utf8')]), { file: 'in.txt', kindOf: () => undefined, ...opts })) {
    for (const rows of b.tags.values()) samples += rows.samples.length;
    rejections.push(...b.rejections.map((r) => `${r.line}:${r.field}`));
  }
  return { samples, rejections };
}

/** ethylene_CO.txt's shape: 4 names by commas, then rows of time, two concentrations and 16 sensor readings by tabs. */
const ETHYLENE_HEADER = 'Time (seconds), CO conc (ppm), Ethylene conc (ppm), Sensor readings (16 channels)';
const ethyleneRow = (i: number) => [(i / 100).toFixed(2), '0.00', '0.00', ...Array.from({ length: 16 }, (_, j) => (-50 + j + i / 10).toFixed(2))].join('\t');
const ETHYLENE = [ETHYLENE_HEADER, ...Array.from({ length: 50 }, (_, i) => ethyleneRow(i)), ''].join('\n');

describe('a header and data separated differently', () => {
  it('refuses an ethylene_CO.txt-shaped file once (header by commas, data by tabs), saying how to import it', async () => {
    const refusal = read(ETHYLENE);
    await expect(refusal).rejects.toThrow('in.txt:2: the header and the data are separated differently: line 1 (the header) by commas (4 names), ' +
      'line 2 by tabs (19 fields); expected one delimiter on every line: write line 1 with a tab between the names, one name per column (19), ' +
      'and import the file with --delimiter tab');
  });

  it('refuses the reverse (header by tabs, data by commas) alike', async () => {
    await expect(read('time\tTK101.Level\tTK102.Level\n2026-12-05T17:45:17Z,1.5,2.5\n2026-12-05T17:45:18Z,1.6,2.6\n')).rejects.toThrow(
      'in.txt:2: the header and the data are separated differently: line 1 (the header) by tabs (3 names), line 2 by commas (3 fields); ' +
      'expected one delimiter on every line: write line 1 with a comma between the names, one name per column (3), and import the file with --delimiter comma');
  });

  it('refuses a --delimiter the header does not hold, naming what separates its names', async () => {
    await expect(read(ETHYLENE, { delimiter: '\t' })).rejects.toThrow(
      'in.txt:1: the header holds no tab (--delimiter tab) between its names, only commas (4 names); expected the header separated as the data are: ' +
      'write line 1 with a tab between the names, one name per column, or import the file without --delimiter');
  });

  it('still reads a file whose every line is separated alike, and rejects only a stray line of another delimiter', async () => {
    const good = ['time\tTK101.Level\tTK102.Level', '2026-12-05T17:45:17Z\t1.5\t2.5', '2026-12-05T17:45:18Z,1.6,2.6', '2026-12-05T17:45:19Z\t1.7\t2.7', ''].join('\n');
    expect(await read(good)).toEqual({ samples: 4, rejections: ['3:record'] });
  });
});

describe('refusals quote a line as written', () => {
  it('shows a tab-separated data row where the header should be with its tabs', async () => {
    await expect(read('2026-12-05T17:45:17Z\tTK101.Level\t1.5\n2026-12-05T17:45:18Z\tTK101.Level\t1.6\n')).rejects.toThrow(
      'in.txt:1: expected a header row (time,tag,value[,status] or time,<tag>,...); got data: 2026-12-05T17:45:17Z\tTK101.Level\t1.5');
  });

  it('shows a tab- or semicolon-separated long header with its own delimiter', async () => {
    await expect(read('Zeit\tTag\tMesswert\n2026-12-05T17:45:17Z\tTK101.Level\t1.5\n')).rejects.toThrow(
      'in.txt:1: long format needs columns time, tag, value[, status]; got Zeit\tTag\tMesswert: no value column');
    await expect(read('time;tag;valeu\n2026-12-05T17:45:17Z;TK101.Level;1,5\n')).rejects.toThrow(
      'in.txt:1: long format needs columns time, tag, value[, status]; got time;tag;valeu');
    await expect(read('Nr\tTag\tZeit\tP\n1\t05.12.2026\t17:45:17\t1.5\n')).rejects.toThrow('got Nr\tTag\tZeit\tP');
  });
});
