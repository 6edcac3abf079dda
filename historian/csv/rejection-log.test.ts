/**
 * RejectionLog: what an import keeps of its rejections, in bounded memory, must digest as the
 * whole list sorted by line did. The oracle is naive: every rejection kept, sorted (stably: one
 * line's rejections as pushed), grouped by problem, the first of each group listed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createReadStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Historian } from '../index.js';
import { formatRejection, type Rejection } from './records.js';
import { RejectionLog } from './rejection-log.js';
import { digestRejections, formatDigest, LISTED_PER_PROBLEM } from './rejection-digest.js';
import { DATE_ORDER_EXPECTED } from './time.js';
import { historianTarget, importCsvFile } from './import.js';
import { readCsv, REJECTIONS_PER_BATCH } from './read.js';

const two = (n: number) => String(n).padStart(2, '0');

const rejection: fc.Arbitrary<Rejection> = fc.record({
  file: fc.constantFrom('a.csv', 'b.csv'),
  line: fc.integer({ min: 1, max: 400 }),
  field: fc.constantFrom('Zeit', 'TI101', 'record'),
  kind: fc.constantFrom('date', 'value', 'duplicate', 'fields'),
  a: fc.integer({ min: 1, max: 31 }),
  b: fc.integer({ min: 1, max: 31 }),
}).map(({ file, line, field, kind, a, b }): Rejection => {
  switch (kind) {
    case 'date': return { file, line, field, expected: `an ISO time; DD/MM/YYYY or MM/DD/YYYY ${DATE_ORDER_EXPECTED}`, got: `${two(a)}/${two(b)}/2024 10:00` };
    case 'value': return { file, line, field, expected: 'a number', got: `x${a}` };
    case 'duplicate': return { file, line, field, expected: 'one value per tag and time', got: `t${a}`, message: `duplicate of line ${a} (tag T${b})` };
    default: return { file, line, field, expected: `${a} fields (time,A)`, got: `${b} fields` };
  }
});

/** The digest as the oracle makes it: all kept, sorted, grouped, the first `limit` of each group listed. */
function naive(pushed: readonly Rejection[], limit: number) {
  const sorted = [...pushed].sort((x, y) => x.line - y.line); // stable
  const key = (r: Rejection) => `${r.field}\u0000${(r.message ?? r.expected).replace(/\d+/g, '#')}`;
  const groups = new Map<string, Rejection[]>();
  for (const r of sorted) {
    const g = groups.get(key(r)) ?? [];
    g.push(r);
    groups.set(key(r), g);
  }
  const listed = sorted.filter((r) => groups.get(key(r))!.indexOf(r) < limit);
  const more = [...groups.values()].filter((g) => g.length > limit)
    .sort((x, y) => sorted.indexOf(x[limit]!) - sorted.indexOf(y[limit]!))
    .map((g) => ({ file: g[limit]!.file, field: g[limit]!.field, text: formatRejection(g[limit]!), count: g.length - limit, first: g[limit]!.line, last: g.at(-1)!.line }));
  return { sorted, listed, more, groups: groups.size, lines: new Set(pushed.map((r) => r.line)).size };
}

function logOf(rs: readonly Rejection[], limit?: number): RejectionLog {
  const log = new RejectionLog(limit);
  for (const r of rs) log.push(r);
  return log;
}

describe('RejectionLog', () => {
  it('keeps the first lines of each problem whatever the push order: the digest of all of them sorted', () => {
    fc.assert(fc.property(fc.array(rejection, { maxLength: 300 }), fc.constantFrom(1, 2, 3, 5), (pushed, limit) => {
      const log = logOf(pushed, limit);
      const want = naive(pushed, limit);
      const d = log.digest();
      expect(d.listed).toEqual(want.listed);
      expect(log.listed).toEqual(want.listed);
      expect(d.more.map((m) => ({ file: m.file, field: m.field, text: `${m.file}:${m.first}: field "${m.field}": ${m.problem}`, count: m.count, first: m.first, last: m.last }))).toEqual(want.more);
      expect([log.count, log.lines]).toEqual([pushed.length, want.lines]);
      expect(log.retained).toBeLessThanOrEqual((limit + 1) * want.groups);
      // and byte for byte what the CLI and the inbox report print from the sorted list
      expect(formatDigest(d)).toEqual(formatDigest(digestRejections(want.sorted, limit)));
      expect(formatDigest(digestRejections(log, limit))).toEqual(formatDigest(digestRejections(want.sorted, limit)));
    }), { numRuns: 300 });
  });

  it('lists LISTED_PER_PROBLEM lines of each problem by default, pushed in any order', () => {
    fc.assert(fc.property(fc.array(rejection, { minLength: 200, maxLength: 1500 }), (pushed) => {
      const log = logOf(pushed);
      const want = naive(pushed, LISTED_PER_PROBLEM);
      expect(formatDigest(log.digest())).toEqual(formatDigest(digestRejections(want.sorted)));
      expect(log.listed).toEqual(want.listed);
      expect(log.retained).toBeLessThanOrEqual((LISTED_PER_PROBLEM + 1) * want.groups);
    }), { numRuns: 40 });
  });

  it('absorbs another log as if its rejections were pushed after its own', () => {
    fc.assert(fc.property(fc.array(rejection, { maxLength: 200 }), fc.nat(), fc.constantFrom(1, 3), (pushed, cut, limit) => {
      const k = pushed.length ? cut % (pushed.length + 1) : 0;
      const a = logOf(pushed.slice(0, k), limit);
      a.absorb(logOf(pushed.slice(k), limit));
      const whole = logOf(pushed, limit);
      expect(a.digest()).toEqual(whole.digest());
      expect([a.count, a.lines, a.listed]).toEqual([whole.count, whole.lines, whole.listed]);
    }), { numRuns: 200 });
  });

  it('counts distinct rejected lines exactly, a line with several rejected fields once, lines far apart too', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 5_000_000 }), fc.constantFrom(-1, 2 ** 31, 2 ** 40 + 1)), { maxLength: 200 }), (lines) => {
      const log = logOf(lines.map((line) => ({ file: 'f.csv', line, field: 'A', expected: 'a number', got: 'x' })));
      expect([log.count, log.lines]).toEqual([lines.length, new Set(lines).size]);
      for (const line of lines) expect(log.has(line)).toBe(true);
      expect(log.has(5_000_001)).toBe(lines.includes(5_000_001));
    }), { numRuns: 200 });
    const log = new RejectionLog();
    for (let line = 2; line < 1_000_002; line++) for (const field of ['A', 'B']) log.push({ file: 'f.csv', line, field, expected: 'a number', got: 'x' });
    expect([log.count, log.lines, log.retained, log.listed.length]).toEqual([2_000_000, 1_000_000, 2 * (LISTED_PER_PROBLEM + 1), 2 * LISTED_PER_PROBLEM]);
  });

  it('says the date order of the first dates refused for it, as the sorted list did', () => {
    const date = (line: number, got: string): Rejection => ({ file: 'f.csv', line, field: 'Zeit', expected: `x; ${DATE_ORDER_EXPECTED}`, got });
    expect(logOf([date(9, '14/01/2018'), date(3, '13/01/2018'), date(2, '03/01/2018')]).digest().dateOrder).toEqual({ order: 'dmy', line: 3, got: '13/01/2018' });
    expect(logOf([date(9, '01/13/2018'), date(3, '13/01/2018')]).digest().dateOrder).toBeUndefined();
    expect(logOf([date(4, '03/01/2018')]).digest().dateOrder).toEqual({ order: 'unknown' });
  });
});

describe('an import keeps its rejections bounded', { timeout: 120_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-rejection-log-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the reader yields refused rows in batches of their own, not all at the end', async () => {
    const rows = 50_000;
    const path = join(dir, 'refused.csv');
    writeFileSync(path, `Zeit;TI101\n${Array.from({ length: rows }, (_, i) => `${two(1 + (i % 28))}/01/2024 10:00:00;${i}`).join('\n')}\n`);
    let total = 0, biggest = 0, batches = 0;
    for await (const batch of readCsv(createReadStream(path), { file: 'refused.csv', kindOf: () => undefined })) {
      total += batch.rejections.length;
      biggest = Math.max(biggest, batch.rejections.length);
      batches++;
    }
    expect(total).toBe(rows);
    expect(batches).toBeGreaterThan(rows / (2 * REJECTIONS_PER_BATCH));
    expect(biggest).toBeLessThan(2 * REJECTIONS_PER_BATCH);
  });

  it('a file out of order read by windows: value rejections come after the times refused, the digest is that of them sorted', async () => {
    // 3000 rows, times shuffled, sortBudget 500: a first pass refuses the times, passes per window of time the values.
    const n = 3000;
    const badTime = (i: number) => i % 7 === 3;
    const badValue = (i: number) => !badTime(i) && i % 5 === 1;
    const lines = Array.from({ length: n }, (_, i) => `${badTime(i) ? 'nope' : new Date(Date.UTC(2024, 4, 1) + ((i * 7919) % n) * 1000).toISOString()},${badValue(i) ? 'x' : i}`);
    const path = join(dir, 'shuffled.csv');
    writeFileSync(path, `time,A\n${lines.join('\n')}\n`);
    mkdirSync(join(dir, 'archive'));
    const h = Historian.open(join(dir, 'archive'), { flushIntervalMs: 0, sortWindowMs: 0 });
    try {
      const report = await importCsvFile(historianTarget(h), path, { sortBudget: 500, newTagKind: 'analog' });
      const times = Array.from({ length: n }, (_, i) => i).filter(badTime).map((i) => i + 2);
      const values = Array.from({ length: n }, (_, i) => i).filter(badValue).map((i) => i + 2);
      const rejected = [...times.map((line) => [line, 'time']), ...values.map((line) => [line, 'A'])];
      expect(report.imported).toBe(n - rejected.length);
      expect([report.rejections.count, report.rejections.lines]).toEqual([rejected.length, rejected.length]);
      const listed = [...times.slice(0, 100).map((line) => [line, 'time']), ...values.slice(0, 100).map((line) => [line, 'A'])].sort((a, b) => (a[0] as number) - (b[0] as number));
      expect(report.rejections.listed.map((r) => [r.line, r.field])).toEqual(listed);
      const d = digestRejections(report.rejections);
      expect(d.more.map((m) => [m.field, m.count, m.first, m.last])).toEqual([
        ['time', times.length - 100, times[100], times.at(-1)],
        ['A', values.length - 100, values[100], values.at(-1)],
      ].sort((a, b) => (a[2] as number) - (b[2] as number)));
      expect(report.rejections.retained).toBeLessThanOrEqual(2 * (LISTED_PER_PROBLEM + 1));
    } finally {
      await h.close();
    }
  });
});
