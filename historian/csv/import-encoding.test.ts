/**
 * CSV files in the encodings control rooms' PCs write: Russian Windows saves a sheet as "CSV" in
 * windows-1251, Chinese Windows in GBK/GB18030, Excel's "Unicode Text" is UTF-16 with a byte-order
 * mark. The files' bytes come from glibc's iconv (an encoder apart from the decoder read here);
 * every expectation is written out from the text by hand.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useCsvArchive } from '../testing/csv-archive.js';
import { historianTarget, importCsvFile, type ImportOptions } from './import.js';
import { formatRejection } from './read.js';
import { inboxImportOptions } from './inbox-settings.js';

const archive = useCsvArchive('vigil-csv-encoding-');

/** The text in `encoding`, by iconv. */
function encoded(text: string, encoding: string): Buffer {
  const r = spawnSync('iconv', ['-f', 'UTF-8', '-t', encoding], { input: text });
  if (r.status !== 0) throw new Error(`iconv -t ${encoding}: ${String(r.stderr)}`);
  return r.stdout;
}

async function importBytes(name: string, bytes: Buffer, opts: ImportOptions = {}) {
  const path = join(archive.dir, name);
  writeFileSync(path, bytes);
  const report = await importCsvFile(historianTarget(archive.h), path, opts);
  archive.h.flush();
  return report;
}

const values = (tag: string) => archive.rows(tag).map((r) => [r.t, r.value]);
const T = (m: number) => Date.UTC(2026, 11, 7, 8, m);

describe('a CSV file in another encoding than UTF-8', () => {
  const russian = 'Время;Уровень;Температура\r\n07.12.2026 08:00:00;4,52;18,5\r\n07.12.2026 08:01:00;4,55;18,6\r\n';

  it('windows-1251, named: its Cyrillic names and values are read', async () => {
    const report = await importBytes('уровни.csv', encoded(russian, 'WINDOWS-1251'), { encoding: 'windows-1251' });
    expect(report.rejections.count).toBe(0);
    expect(report.fileError).toBeUndefined();
    expect(archive.h.tagNames().sort()).toEqual(['Температура', 'Уровень']);
    expect(values('Уровень')).toEqual([[T(0), 4.52], [T(1), 4.55]]);
    expect(values('Температура')).toEqual([[T(0), 18.5], [T(1), 18.6]]);
  });

  it('windows-1251 read as UTF-8: the file is refused, saying which encodings to name', async () => {
    const report = await importBytes('cp.csv', encoded(russian, 'WINDOWS-1251'));
    expect(report.fileError).toMatch(/header has bytes that are not text in the file's encoding; expected a UTF-8 file, or its encoding named \(windows-1251, koi8-r, gb18030/);
    expect(archive.h.tagNames()).toEqual([]);
  });

  it('GB18030, named: Chinese tag names in a long file', async () => {
    const text = '时间,位号,值\n2026-12-07T08:00:00Z,罐区1.液位,4.52\n2026-12-07T08:01:00Z,罐区1.液位,4.55\n2026-12-07T08:00:00Z,罐区1.温度,18.5\n';
    const report = await importBytes('gb.csv', encoded(text, 'GB18030'), { encoding: 'gb18030' });
    expect(report.rejections.count).toBe(0);
    expect(values('罐区1.液位')).toEqual([[T(0), 4.52], [T(1), 4.55]]);
    expect(values('罐区1.温度')).toEqual([[T(0), 18.5]]);
  });

  it('GB18030 with a sequence it does not map: that line alone is rejected, naming the encoding', async () => {
    const good = encoded('time,tag,value\n2026-12-07T08:00:00Z,液位,1\n', 'GB18030');
    // 0x81 0x20: a lead byte with a trail no GB18030 sequence has.
    const bad = Buffer.concat([Buffer.from('2026-12-07T08:01:00Z,'), Buffer.from([0x81, 0x20]), Buffer.from(',2\n')]);
    const after = encoded('2026-12-07T08:02:00Z,液位,3\n', 'GB18030');
    const report = await importBytes('gbbad.csv', Buffer.concat([good, bad, after]), { encoding: 'gb18030' });
    expect(report.rejections.listed.map(formatRejection)).toEqual([
      expect.stringMatching(/^gbbad\.csv:3: field "tag": expected gb18030 text \(the line has bytes that are not gb18030: another encoding\?\); got "/),
    ]);
    expect(values('液位')).toEqual([[T(0), 1], [T(2), 3]]);
  });

  it('UTF-16 with a byte-order mark (Excel\'s "Unicode Text", tab separated) is read without being named', async () => {
    const text = 'Time\tTK1.Уровень\r\n2026-12-07 08:00:00\t4.52\r\n2026-12-07 08:01:00\t4.55\r\n';
    const report = await importBytes('unicode.txt', encoded(text, 'UTF-16'), { assumeUtc: true });
    expect(encoded(text, 'UTF-16').subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfe])); // glibc writes the mark, little-endian here
    expect(report.fileError).toBeUndefined();
    expect(values('TK1.Уровень')).toEqual([[T(0), 4.52], [T(1), 4.55]]);
  });

  it('UTF-16 without a byte-order mark: refused unless named', async () => {
    const bytes = encoded('time,tag,value\n2026-12-07T08:00:00Z,A,1\n', 'UTF-16LE');
    expect((await importBytes('u16.csv', bytes)).fileError).toMatch(/NUL bytes in its first line .*expected UTF-8, or its encoding named \(utf-16le, utf-16be\)/);
    expect(archive.h.tagNames()).toEqual([]);
    const named = await importBytes('u16.csv', bytes, { encoding: 'utf-16le' });
    expect(named.fileError).toBeUndefined();
    expect(values('A')).toEqual([[T(0), 1]]);
  });

  it('the inbox takes the encoding from the station config, and refuses a name no decoder knows', async () => {
    const opts = inboxImportOptions({ timeZone: '+00:00', encoding: 'cp1251' });
    expect(opts.encoding).toBe('windows-1251');
    await importBytes('inbox.csv', encoded(russian, 'WINDOWS-1251'), opts);
    expect(values('Уровень')).toEqual([[T(0), 4.52], [T(1), 4.55]]);
    expect(() => inboxImportOptions({ encoding: 'cyrillic-ish' })).toThrow(/expected an encoding name such as utf-8, windows-1251, .*got "cyrillic-ish"/);
  });
});
