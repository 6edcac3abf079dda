/**
 * Long files whose columns are named in German, Russian or Chinese, as control rooms in those
 * languages export them (Zeit,Tag,Wert; Время,Тег,Значение; 时间,标签,值), and the German "Tag"
 * (day) that is a wide file's date half only when its cells are dates. Real archives in temp dirs;
 * every expectation is written out from the input text by hand.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useCsvArchive } from '../testing/csv-archive.js';
import { historianTarget } from './import.js';
import { Inbox } from './watch.js';

const archive = useCsvArchive('vigil-csv-long-names-');

/** [t, value] of every archived sample of the tag. */
const raw = (tag: string) => archive.rows(tag).map((r) => [r.t, r.value]);

// 2026-11-25 10:00:00Z and the half seconds after it.
const T = (s: number) => Date.UTC(2026, 10, 25, 10, 0, 0) + s * 1000;

/** Two instruments interleaved, as the station's own export and the field run's file hold them. */
const rows = (sep: string, comma = false) => [
  `2026-11-25T10:00:00Z${sep}TK101.Level${sep}${comma ? '2,25' : '2.25'}`,
  `2026-11-25T10:00:00.5Z${sep}PT201.Pressure${sep}${comma ? '0,5' : '0.5'}`,
  `2026-11-25T10:00:01Z${sep}TK101.Level${sep}${comma ? '2,5' : '2.5'}`,
  `2026-11-25T10:00:01.5Z${sep}PT201.Pressure${sep}${comma ? '0,75' : '0.75'}`,
].join('\n') + '\n';

async function expectLong(name: string, header: string, sep = header.includes(';') ? ';' : ',', comma = sep === ';') {
  const report = await archive.importText(name, `${header}\n${rows(sep, comma)}`);
  expect(report.fileError, header).toBeUndefined();
  expect(report.rejections.count, header).toBe(0);
  expect(report.summary?.format, header).toBe('long');
  expect([...report.createdTags].sort(), header).toEqual(['PT201.Pressure', 'TK101.Level']);
  expect(raw('TK101.Level'), header).toEqual([[T(0), 2.25], [T(1), 2.5]]);
  expect(raw('PT201.Pressure'), header).toEqual([[T(0.5), 0.5], [T(1.5), 0.75]]);
}

describe('a long file with German column names', () => {
  it('reads Zeit,Tag,Wert as long: one tag per instrument, not tags "Wert" and "Tag"', async () => {
    await expectLong('de1.csv', 'Zeit,Tag,Wert');
  });

  it('reads the inbox\'s shape: BOM, quoted names, semicolons, decimal commas', async () => {
    await expectLong('de2.csv', '\uFEFF"Zeit";"Tag";"Wert"');
  });

  it('reads it so when dropped into the station\'s CSV inbox', async () => {
    const inbox = new Inbox(historianTarget(archive.h), archive.dir, { stableMs: 2000 });
    writeFileSync(join(inbox.inbox, 'de.csv'), `\uFEFF"Zeit";"Tag";"Wert"\n${rows(';', true)}`);
    expect(await inbox.poll(10_000)).toEqual([]); // first sight: not yet stable
    const reports = await inbox.poll(12_100);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ file: 'de.csv', imported: 4, rejections: { count: 0 }, summary: { format: 'long' } });
    archive.h.flush();
    expect([...reports[0]!.createdTags].sort()).toEqual(['PT201.Pressure', 'TK101.Level']);
    expect(raw('TK101.Level')).toEqual([[T(0), 2.25], [T(1), 2.5]]);
    expect(raw('PT201.Pressure')).toEqual([[T(0.5), 0.5], [T(1.5), 0.75]]);
  });

  it.each(['Zeitstempel;Tagname;Wert', 'Datum Zeit;Messstelle;Wert', 'time;Tag;Wert', 'Zeitstempel;Tag;Wert', 'Zeit;Tag;Wert;Status'])('reads %s', async (header) => {
    const text = header.endsWith('Status') ? rows(';', true).replace(/\n/g, ';Good\n') : rows(';', true);
    const report = await archive.importText('de3.csv', `${header}\n${text}`);
    expect(report.fileError, header).toBeUndefined();
    expect(report.summary?.format, header).toBe('long');
    expect(raw('PT201.Pressure'), header).toEqual([[T(0.5), 0.5], [T(1.5), 0.75]]);
  });
});

describe('a long file with Russian column names', () => {
  it.each(['Время,Тег,Значение', 'Дата и время,Имя тега,Значение', 'Метка времени,Параметр,Значение'])('reads %s as long', async (header) => {
    await expectLong('ru.csv', header);
  });

  it('reads a Статус column as the status (OPC UA names)', async () => {
    const report = await archive.importText('ru2.csv', 'Время;Тег;Значение;Статус\n2026-11-25T10:00:00Z;TK101.Level;2,25;Good\n2026-11-25T10:00:01Z;TK101.Level;2,5;BadSensorFailure\n');
    expect(report.fileError).toBeUndefined();
    expect(archive.rows('TK101.Level').map((r) => [r.t, r.value, r.status >>> 30])).toEqual([[T(0), 2.25, 0], [T(1), 2.5, 2]]);
  });
});

describe('a long file with Chinese column names', () => {
  it.each(['时间,标签,值', '时间戳,位号,数值', '时间,点名,值'])('reads %s as long', async (header) => {
    await expectLong('zh.csv', header);
  });

  it('reads a 状态 column as the status (OPC UA names)', async () => {
    const report = await archive.importText('zh2.csv', '时间,标签,值,状态\n2026-11-25T10:00:00Z,TK101.Level,2.25,Good\n2026-11-25T10:00:01Z,TK101.Level,2.5,BadSensorFailure\n');
    expect(report.fileError).toBeUndefined();
    expect(archive.rows('TK101.Level').map((r) => [r.t, r.value, r.status >>> 30])).toEqual([[T(0), 2.25, 0], [T(1), 2.5, 2]]);
  });
});

describe('a quality column named in German, Russian or Chinese', () => {
  // As English "Quality": its code is not known from its name (0 is Good in one export, Bad in another).
  it.each([['Zeit;Tag;Wert;Qualität', 'Qualität'], ['Время;Тег;Значение;Качество', 'Качество'], ['时间;标签;值;质量', '质量']])('refuses %s at line 1 naming the column', async (header, column) => {
    const report = await archive.importText('q.csv', `${header}\n2026-11-25T10:00:00Z;TK101.Level;2,25;192\n`);
    expect(report.fileError).toMatch(new RegExp(`^q\\.csv:1: column 4 "${column}": expected a status column named status`));
    expect(archive.h.kindOf('TK101.Level')).toBeUndefined();
  });
});

describe('German "Tag" (day) beside "Zeit"', () => {
  // 05.12.2026 17:45:00 and 17:46:00, read as UTC (no --tz).
  const at = (m: number) => Date.UTC(2026, 11, 5, 17, 45 + m);

  it('is the date half of a wide file when its cells are dates (date first)', async () => {
    const report = await archive.importText('w1.csv', 'Tag;Zeit;TK101.Level;PT201.Pressure\n05.12.2026;17:45:00;2,25;0,5\n05.12.2026;17:46:00;2,5;0,75\n');
    expect(report.fileError).toBeUndefined();
    expect(report.rejections.count).toBe(0);
    expect(report.summary?.format).toBe('wide');
    expect(report.summary?.timeField).toBe('Tag+Zeit');
    expect([...report.createdTags].sort()).toEqual(['PT201.Pressure', 'TK101.Level']);
    expect(raw('TK101.Level')).toEqual([[at(0), 2.25], [at(1), 2.5]]);
    expect(raw('PT201.Pressure')).toEqual([[at(0), 0.5], [at(1), 0.75]]);
  });

  it('is the date half of a wide file when its cells are dates (time of day first)', async () => {
    const report = await archive.importText('w2.csv', 'Zeit;Tag;TK101.Level\n17:45:00;05.12.2026;2,25\n17:46:00;05.12.2026;2,5\n');
    expect(report.fileError).toBeUndefined();
    expect(report.summary?.format).toBe('wide');
    expect(report.createdTags).toEqual(['TK101.Level']);
    expect(raw('TK101.Level')).toEqual([[at(0), 2.25], [at(1), 2.5]]);
  });

  it('is the tag column when its cells are tag names: without a value column the file is refused at line 1, no tag made', async () => {
    const report = await archive.importText('l1.csv', 'Zeit,Tag,Messwert\n2026-11-25T10:00:00Z,TK101.Level,2.25\n2026-11-25T10:00:01Z,PT201.Pressure,0.5\n');
    expect(report.fileError).toMatch(/^l1\.csv:1: long format needs columns time, tag, value\[, status\]; got Zeit,Tag,Messwert: no value column \(expected one named value, Wert, Значение or 值\)/);
    expect(report.fileError).toContain('; column 2 "Tag" is read as the tag column (it is read as the date of "Zeit" where the first data row ' +
      'holds a date in it and a time of day in "Zeit", or with --wide)');
    expect(report.createdTags).toEqual([]);
    for (const tag of ['Tag', 'Messwert', 'TK101.Level']) expect(archive.h.kindOf(tag), tag).toBeUndefined();
  });

  it('is the tag column when its cells are tag names, Tag first: refused at line 1, no tag made', async () => {
    const report = await archive.importText('l2.csv', 'Tag;Zeit;Messwert\nTK101.Level;2026-11-25T10:00:00Z;2,25\n');
    expect(report.fileError).toMatch(/^l2\.csv:1: /);
    expect(report.createdTags).toEqual([]);
    for (const tag of ['Zeit', 'Messwert', 'TK101.Level']) expect(archive.h.kindOf(tag), tag).toBeUndefined();
  });

  it('where the first data row cannot decide it (a column before them), refuses the file at line 1 saying what it expected', async () => {
    const report = await archive.importText('w3.csv', 'Nr;Tag;Zeit;P\n1;05.12.2026;17:45:00;2,25\n');
    expect(report.fileError).toBe('w3.csv:1: column 2 "Tag" beside "Zeit": expected a value column (value, Wert, Значение or 值) for a long file ' +
      '(time, tag, value), or "Tag" and "Zeit" as the first two columns for a wide file\'s date and time of day (or --wide); got Nr;Tag;Zeit;P'); // the header as written
    expect(report.createdTags).toEqual([]);
  });
});
