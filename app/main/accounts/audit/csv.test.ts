import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditCsv, guardCell, writeAuditCsv } from './csv.js';
import type { ChainedEntry } from './trail.js';
import { readCsvRows } from '../testing/csv-read.js';

const entry = (over: Partial<ChainedEntry>): ChainedEntry => ({
  seq: 1, at: Date.UTC(2026, 10, 30, 6, 0, 0, 123), user: 'ivanova', role: 'operator', action: 'alarms.acknowledge', target: 'TK101.LAHH',
  oldValue: null, newValue: null, comment: null, result: 'ok', detail: null, source: 'ipc:window', prev: '0'.repeat(64), hash: 'a'.repeat(64), ...over,
});

describe('audit CSV', () => {
  it('guards every cell a spreadsheet would read as a formula (OWASP CSV injection)', () => {
    for (const lead of ['=', '+', '-', '@', '\t', '\r']) expect(guardCell(`${lead}SUM(A1)`)).toBe(`'${lead}SUM(A1)`);
    expect(guardCell('level checked on site')).toBe('level checked on site');
    expect(guardCell('')).toBe('');
  });

  it('is RFC 4180: CRLF line ends, quoted commas, quotes and line breaks, read back cell for cell', () => {
    const comment = 'valve "V-12", checked\non site';
    const { csv, rows } = auditCsv([entry({ comment }), entry({ seq: 2, comment: '=cmd|\' /C calc\'!A0', oldValue: '85', newValue: '-5' })]);
    expect(rows).toBe(2);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(4); // header, two records (one holds a bare \n inside quotes), the empty rest
    const back = readCsvRows(csv);
    expect(back.map((r) => r.comment)).toEqual([comment, "'=cmd|' /C calc'!A0"]);
    expect([back[1].old_value, back[1].new_value]).toEqual(['85', "'-5"]);
    expect(back[0]).toMatchObject({ seq: '1', user: 'ivanova', action: 'alarms.acknowledge', result: 'ok', hash: 'a'.repeat(64) });
  });

  it('starts with a UTF-8 BOM, download and CLI file alike, so Excel reads Cyrillic names as written; readers still see the columns', async () => {
    const { csv } = auditCsv([entry({ user: 'иванова', comment: 'уровень 85 °C' })]);
    // U+FEFF, EF BB BF in UTF-8 (Unicode 15 §23.8), as the console's Blob writes it.
    expect([...Buffer.from(csv, 'utf8').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(readCsvRows(csv)[0]).toMatchObject({ seq: '1', user: 'иванова', comment: 'уровень 85 °C' });
    const dir = mkdtempSync(join(tmpdir(), 'vigil-audit-csv-'));
    try {
      const file = join(dir, 'audit.csv');
      expect(await writeAuditCsv([entry({ user: 'иванова' })], file)).toBe(1);
      const bytes = readFileSync(file);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(readCsvRows(bytes.toString('utf8'))[0]).toMatchObject({ seq: '1', user: 'иванова' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes times as ISO 8601 with the station\'s UTC offset at that instant', () => {
    const t = Date.UTC(2026, 10, 30, 6, 0, 0, 123);
    const [row] = readCsvRows(auditCsv([entry({ at: t })]).csv);
    expect(row.time).toMatch(/^2026-11-30T\d\d:\d\d:00\.123(Z|[+-]\d\d:\d\d)$/);
    expect(Date.parse(row.time)).toBe(t);
  });
});
