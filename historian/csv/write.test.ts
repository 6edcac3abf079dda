import { describe, expect, it } from 'vitest';
import { PassThrough, Readable } from 'node:stream';
import fc from 'fast-check';
import { Flag } from '../types.js';
import { BadSensorFailure, withHistorianBits, HistorianInterpolated } from '../status.js';
import { EXPORT_COLUMNS, EXPORT_COLUMNS_WITH_KIND, ExportLines, exportRecord, writeCsv, type ExportRow } from './write.js';
import { readCsv } from './read.js';

async function exportToString(rows: ExportRow[], offsetMinutes = 0): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeCsv(rows, out, { offsetMinutes });
  return Buffer.concat(chunks).toString('utf8');
}

const T0 = Date.UTC(2024, 4, 1, 12);

describe('writeCsv', () => {
  it('writes RFC 4180 with time offset, unit, status name and hex, flags', async () => {
    const text = await exportToString(
      [
        { tag: 'TK1.Level', unit: 'm', value: { t: T0, value: 1.25, status: 0, flags: 0 } },
        { tag: 'TK1.Level', unit: 'm', value: { t: T0 + 1, value: 2, status: withHistorianBits(BadSensorFailure, HistorianInterpolated), flags: Flag.Interpolated | Flag.Bounding } },
        { tag: 'Note', unit: '', value: { t: T0 + 2, value: 'say "hi", twice\nplease', status: 0, flags: 0 } },
      ],
      120,
    );
    expect(text.split('\r\n')).toEqual([
      'time,tag,value,unit,status,status_code,flags',
      '2024-05-01T14:00:00.000+02:00,TK1.Level,1.25,m,Good,0x00000000,',
      '2024-05-01T14:00:00.001+02:00,TK1.Level,,m,BadSensorFailure,0x808C0402,Interpolated|Bounding',
      '2024-05-01T14:00:00.002+02:00,Note,"say ""hi"", twice\nplease",,Good,0x00000000,',
      '',
    ]);
  });

  it('writes a sample without a usable value as an empty value cell beside its status, whatever the kind', async () => {
    const bad = { status: BadSensorFailure, flags: 0 };
    const text = await exportToString([
      { tag: 'A', unit: 'bar', value: { t: T0, value: NaN, ...bad } },
      { tag: 'A', unit: 'bar', value: { t: T0 + 1, value: 7.5, ...bad } },
      { tag: 'D', unit: '', value: { t: T0 + 2, value: false, ...bad } },
      { tag: 'S', unit: '', value: { t: T0 + 3, value: '', ...bad } },
      { tag: 'A', unit: 'bar', value: { t: T0 + 4, value: NaN, status: 0x809b0000, flags: Flag.NoData | Flag.Bounding } },
      { tag: 'D', unit: '', value: { t: T0 + 5, value: false, status: 0, flags: 0 } },
    ]);
    expect(text.split('\r\n').slice(1, -1).map((l) => l.split(',').slice(1, 5).join(','))).toEqual([
      'A,,bar,BadSensorFailure', 'A,,bar,BadSensorFailure', 'D,,,BadSensorFailure', 'S,,,BadSensorFailure', 'A,,bar,BadNoData', 'D,false,,Good',
    ]);
  });

  it('writes negative zero as -0, which reads back as -0 (String(-0) is "0")', async () => {
    const rows = [{ tag: 'B', unit: '', value: { t: T0, value: -0, status: 0, flags: 0 } }, { tag: 'B', unit: '', value: { t: T0 + 1, value: 0, status: 0, flags: 0 } }];
    const text = await exportToString(rows);
    expect(text.split('\r\n').slice(1, 3).map((l) => l.split(',')[2])).toEqual(['-0', '0']);
    expect(exportRecord(rows[0]!)[2]).toBe('-0');
    const back: number[] = [];
    for await (const b of readCsv(Readable.from([text]), { file: 'x.csv', kindOf: () => 'analog' })) for (const r of b.tags.values()) back.push(...r.samples.map((s) => s.value as number));
    expect(back.map((v) => Object.is(v, -0))).toEqual([true, false]);
  });

  it('round-trips any numeric samples through readCsv exactly (a Bad sample as no value)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            t: fc.integer({ min: 0, max: 4e12 }),
            value: fc.double({ noNaN: true, noDefaultInfinity: true }),
            status: fc.constantFrom(0, BadSensorFailure, 0x40000000),
          }),
          { maxLength: 50 },
        ),
        async (samples) => {
          const text = await exportToString(samples.map((s) => ({ tag: 'A', unit: 'bar', value: { ...s, flags: 0 } })));
          const back = [];
          for await (const b of readCsv(Readable.from([text]), { file: 'x.csv', kindOf: () => 'analog' })) {
            expect(b.rejections).toEqual([]);
            for (const rows of b.tags.values()) back.push(...rows.samples);
          }
          // -0 prints as "-0" and reads back as -0 (toEqual tells them apart); a Bad sample's value is not exported;
          // the flags column (empty: none) reads back as no flags
          expect(back).toEqual(samples.map((s) => ({ ...s, value: s.status === BadSensorFailure ? NaN : s.value, flags: 0 })));
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('ExportLines', () => {
  it('writes what csv-stringify writes for the same records (RFC 4180 quoting, any text, any offset)', async () => {
    const { stringify } = await import('csv-stringify/sync');
    const text = fc.string({ unit: fc.constantFrom('a', 'Z', ',', '"', '\r', '\n', ' ', '=', 'é', '水', '-', '1') });
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            tag: text,
            unit: text,
            t: fc.integer({ min: -1e12, max: 4e12 }),
            value: fc.oneof(fc.double(), fc.boolean(), text),
            status: fc.constantFrom(0, BadSensorFailure, 0x40000000, withHistorianBits(BadSensorFailure, HistorianInterpolated)),
            flags: fc.integer({ min: 0, max: 63 }),
          }),
          { maxLength: 40 },
        ),
        fc.integer({ min: -12 * 60, max: 14 * 60 }),
        async (records, offset) => {
          const rows: ExportRow[] = records.map((r) => ({ tag: r.tag, unit: r.unit, value: { t: r.t, value: r.value, status: r.status, flags: r.flags } }));
          const ours = await exportToString(rows, offset);
          // csv-stringify quotes a lone CR or LF only when told to; RFC 4180 readers need it quoted.
          // Spaces at either end too: a reader trims an unquoted cell ("  padded  " read back "padded").
          // A Good or Uncertain empty text is written "" (an empty cell is no value): marked here, quoted below.
          const EMPTY_TEXT = '\u0000empty text\u0000';
          const cellsOf = rows.map((r) => {
            const cells = exportRecord(r, offset);
            if (r.value.value === '' && r.value.status >>> 30 !== 2) cells[2] = EMPTY_TEXT;
            return cells;
          });
          const reference = stringify([[...EXPORT_COLUMNS], ...cellsOf], { record_delimiter: 'windows', quoted_match: [/[\r\n]/, /^\s|\s$/] });
          expect(ours).toBe(reference.replaceAll(EMPTY_TEXT, '""'));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('with kind: true writes the kind column last, as csv-stringify writes the same records, and refuses a row without a kind', async () => {
    const { stringify } = await import('csv-stringify/sync');
    const rows: ExportRow[] = [
      { tag: 'Pump.State', unit: '', kind: 'text', value: { t: T0, value: '1', status: 0, flags: 0 } },
      { tag: 'Pump.State', unit: '', kind: 'text', value: { t: T0 + 1, value: 'FAULT, "7"', status: 0, flags: 0 } },
      { tag: 'Pump.Run', unit: '', kind: 'discrete', value: { t: T0 + 2, value: true, status: 0, flags: 0 } },
      { tag: 'Tank.Level', unit: 'm, abs', kind: 'analog', value: { t: T0 + 3, value: NaN, status: BadSensorFailure, flags: 0 } },
    ];
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeCsv(rows, out, { kind: true });
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text.split('\r\n')).toEqual([
      'time,tag,value,unit,status,status_code,flags,kind',
      '2024-05-01T12:00:00.000Z,Pump.State,1,,Good,0x00000000,,text',
      '2024-05-01T12:00:00.001Z,Pump.State,"FAULT, ""7""",,Good,0x00000000,,text',
      '2024-05-01T12:00:00.002Z,Pump.Run,true,,Good,0x00000000,,discrete',
      '2024-05-01T12:00:00.003Z,Tank.Level,,"m, abs",BadSensorFailure,0x808C0000,,analog',
      '',
    ]);
    expect(text).toBe(stringify([[...EXPORT_COLUMNS_WITH_KIND], ...rows.map((r) => exportRecord(r, 0, true))], { record_delimiter: 'windows' }));
    await expect(writeCsv([{ tag: 'X', unit: '', value: { t: T0, value: 1, status: 0, flags: 0 } }], new PassThrough(), { kind: true }))
      .rejects.toThrow('CSV export with a kind column: no kind given for tag X');
  });

  it('takes the offset of each instant from a zone, and guards text fields', async () => {
    // Europe/Berlin-like: +01:00 in winter, +02:00 from 2024-03-31T01:00Z.
    const change = Date.UTC(2024, 2, 31, 1);
    const lines = new ExportLines({ offsetMinutes: (t) => (t < change ? 60 : 120), guard: (s) => (/^[=+\-@]/.test(s) ? `'${s}` : s) });
    const row = (t: number, value: string | number): ExportRow => ({ tag: '=cmd', unit: '-m', value: { t, value, status: 0, flags: 0 } });
    expect(lines.line(row(change - 1, -1.5))).toBe(`2024-03-31T01:59:59.999+01:00,'=cmd,-1.5,'-m,Good,0x00000000,\r\n`);
    expect(lines.line(row(change, '@SUM(A1)'))).toBe(`2024-03-31T03:00:00.000+02:00,'=cmd,'@SUM(A1),'-m,Good,0x00000000,\r\n`);
  });
});
