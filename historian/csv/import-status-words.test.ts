/**
 * Quality words as PI and other historians export them in a long file's quality or status column:
 * `Good`, `Bad`, `Questionable`, `Uncertain`, `Substituted`, and PI's attribute lists such as
 * `Good, Annotated` (PI DataLink / PI SQL "value attributes"). Read as the OPC UA status they mean,
 * any case: Questionable and Uncertain are Uncertain, Substituted UncertainSubstituteValue (Part 4: "an
 * operational value that was manually overwritten"), Annotated says nothing. Codes by hand from
 * Opc.Ua.StatusCodes.csv, not from historian/status.ts; real archives in temp dirs.
 */
import { describe, expect, it } from 'vitest';
import { useCsvArchive } from '../testing/csv-archive.js';

const archive = useCsvArchive('vigil-csv-status-words-');

const T0 = Date.UTC(2026, 11, 5, 17, 45, 17);
/** [second, value, status without InfoType and the historian's bits 0-4]. */
const raw = (tag: string) => archive.rows(tag).map((r) => [Math.round((r.t - T0) / 1000), r.value, (r.status & ~0xc1f) >>> 0]);

const GOOD = 0;
const UNCERTAIN = 0x40000000;
const BAD = 0x80000000;
const UNCERTAIN_SUBSTITUTE_VALUE = 0x40910000;

/** A PI-shaped export (tag, timestamp, value, then the quality column), CRLF, one row a quality word. */
const piExport = (column: string, words: string[]) => [
  `tag,timestamp,value,${column}`,
  ...words.map((w, i) => `TIC-101.PV,2026-12-05 17:45:${17 + i},${(351.2 + i / 10).toFixed(1)},${w.includes(',') ? `"${w}"` : w}`),
  '',
].join('\r\n');

const WORDS = ['Good', 'Questionable', 'Bad', 'Substituted', 'Good, Annotated', 'uncertain', 'QUESTIONABLE', 'bad'];
const STATUSES = [GOOD, UNCERTAIN, BAD, UNCERTAIN_SUBSTITUTE_VALUE, GOOD, UNCERTAIN, UNCERTAIN, BAD];

describe('quality words in a long file', () => {
  for (const column of ['Quality', 'Status']) {
    it(`reads a PI export's ${column} column of Good / Questionable / Substituted / Bad words as their OPC UA statuses`, async () => {
      const report = await archive.importText(`pi-${column}.csv`, piExport(column, WORDS));
      expect([report.fileError, report.rejections.count, report.createdTags]).toEqual([undefined, 0, ['TIC-101.PV']]);
      expect(raw('TIC-101.PV')).toEqual(WORDS.map((_, i) => [i, Number((351.2 + i / 10).toFixed(1)), STATUSES[i]]));
    });
  }

  it('reads PI attribute lists as the worst they say (Annotated says nothing)', async () => {
    const report = await archive.importText('pi-lists.csv', piExport('Quality', ['Questionable, Annotated', 'Substituted, Questionable', 'Bad, Substituted', 'annotated']));
    expect([report.fileError, report.rejections.count]).toEqual([undefined, 0]);
    expect(raw('TIC-101.PV').map((r) => r[2])).toEqual([UNCERTAIN, UNCERTAIN_SUBSTITUTE_VALUE, BAD, GOOD]);
  });

  it('rejects a word it cannot map, naming file, line, field and the words it reads; the other rows are archived', async () => {
    const report = await archive.importText('pi-odd.csv', piExport('Quality', ['Good', 'Stale', 'Good, Frobbed', '192', 'Bad']));
    expect(report.rejections.listed.map((r) => [r.file, r.line, r.field, r.got])).toEqual([
      ['pi-odd.csv', 3, 'Quality', 'Stale'], ['pi-odd.csv', 4, 'Quality', 'Good, Frobbed'], ['pi-odd.csv', 5, 'Quality', '192'],
    ]);
    for (const r of report.rejections.listed.slice(0, 2)) expect(r.expected).toMatch(/Good.*Questionable.*Uncertain.*Substituted.*Bad/);
    // A number in a column of words: Wonderware's 0 is Good, an OPC DA 0 Bad; never guessed.
    expect(report.rejections.listed[2]!.expected).toMatch(/not a number/);
    expect(raw('TIC-101.PV').map((r) => [r[0], r[2]])).toEqual([[0, GOOD], [4, BAD]]);
  });

  it('still refuses a Quality column of numbers (Wonderware writes 0 for Good, OPC DA 0 for Bad), naming what to rename it to', async () => {
    const report = await archive.importText('ww.csv', 'DateTime,TagName,Value,Quality\r\n2026-12-05 17:45:17,FI203,1.6,0\r\n2026-12-05 17:45:18,FI203,1.7,Bad\r\n');
    expect(report.fileError).toMatch(/^ww\.csv:1: column 4 "Quality": expected a status column named status .*OPCQuality \(OPC DA quality bytes: 192 Good, 0 Bad\)/);
    expect(archive.h.kindOf('FI203')).toBeUndefined();
  });

  it('reads the words in a wide file\'s per-tag quality column too', async () => {
    const report = await archive.importText('wide.csv', 'DateTime,LI101,LI101 Quality\r\n2026-12-05 17:45:17,4.5,Questionable\r\n2026-12-05 17:45:18,4.6,Substituted\r\n');
    expect([report.fileError, report.rejections.count]).toEqual([undefined, 0]);
    expect(raw('LI101')).toEqual([[0, 4.5, UNCERTAIN], [1, 4.6, UNCERTAIN_SUBSTITUTE_VALUE]]);
  });
});
