/**
 * A long file's `kind` column (an export writes one): new tags take that kind, no guessing; each
 * value is read as it; a row whose kind disagrees with the archive's or with the tag's earlier
 * rows is rejected. A file without the column is read as before (kinds guessed from the values).
 * Real archives in temp dirs; expectations written from the input.
 */
import { describe, expect, it } from 'vitest';
import { useCsvArchive } from '../testing/csv-archive.js';
import { historianTarget, importCsvFile, type ImportOptions } from './import.js';
import { formatRejection } from './read.js';

const archive = useCsvArchive('vigil-csv-kind-');
const csv = (name: string, lines: string[]) => archive.csv(name, lines);
const T0 = Date.UTC(2024, 4, 1, 12);
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();

const raw = (tag: string) => archive.h.readRaw({ tags: [tag], start: T0 - 3_600_000, end: T0 + 3_600_000 }).rows.map((r) => [r.t - T0, r.value]);
const run = async (path: string, opts: ImportOptions = {}) => {
  const report = await importCsvFile(historianTarget(archive.h), path, opts);
  return { report, messages: report.rejections.listed.map(formatRejection) };
};

describe('importCsvFile: the kind column', () => {
  it('creates new tags with the kind the file says and reads every value as that kind', async () => {
    const path = csv('k.csv', [
      'time,tag,value,unit,kind,status',
      `${iso(0)},Pump.State,1,,text,Good`,
      `${iso(1)},Pump.State,RUNNING,,text,Good`,
      `${iso(2)},Pump.State,"  FAULT, code 7 ",,text,Good`,
      `${iso(3)},Pump.State, STOPPED ,,TEXT,Good`,
      `${iso(0)},Pump.Code,1,,text,Good`,
      `${iso(1)},Pump.Code,2,,text,Good`,
      `${iso(0)},Pump.Run,1,,discrete,Good`,
      `${iso(1)},Pump.Run,0,,discrete,Good`,
      `${iso(2)},Pump.Run,true,,discrete,Good`,
      `${iso(0)},Tank.Level,2.5,m,analog,Good`,
      `${iso(1)},Tank.Level,,m,analog,BadSensorFailure`,
    ]);
    const { report, messages } = await run(path);
    expect(messages).toEqual([]);
    expect(report.createdTags).toEqual(['Pump.State', 'Pump.Code', 'Pump.Run', 'Tank.Level']);
    expect(['Pump.State', 'Pump.Code', 'Pump.Run', 'Tank.Level'].map((t) => archive.h.kindOf(t))).toEqual(['text', 'text', 'discrete', 'analog']);
    expect(raw('Pump.State')).toEqual([[0, '1'], [1000, 'RUNNING'], [2000, '  FAULT, code 7 '], [3000, 'STOPPED']]);
    expect(raw('Pump.Code')).toEqual([[0, '1'], [1000, '2']]);
    // 1 and 0 are states (numbers), as an export writes an Int32 state; true is a Boolean.
    expect(raw('Pump.Run')).toEqual([[0, 1], [1000, 0], [2000, true]]);
    expect(raw('Tank.Level')).toEqual([[0, 2.5], [1000, NaN]]);
  });

  it('the kind column wins over --new-tags for the tags it names', async () => {
    const path = csv('forced.csv', ['time,tag,value,kind', `${iso(0)},A,1,text`, `${iso(1)},A,2,text`]);
    const { messages } = await run(path, { newTagKind: 'analog' });
    expect(messages).toEqual([]);
    expect(archive.h.kindOf('A')).toBe('text');
    expect(raw('A')).toEqual([[0, '1'], [1000, '2']]);
  });

  it('rejects a row whose kind disagrees with the archive\'s, with the tag\'s earlier rows, or is no kind', async () => {
    archive.h.defineTags([{ name: 'Tank.Level', kind: 'analog', description: '', unit: 'm', compression: { kind: 'none' }, stepped: false, cycleMs: 0 }], 0);
    const path = csv('bad.csv', [
      'time,tag,value,kind',
      `${iso(0)},Tank.Level,1.5,analog`,
      `${iso(1)},Tank.Level,RUNNING,text`,
      `${iso(0)},Pump.State,RUNNING,text`,
      `${iso(1)},Pump.State,1,analog`,
      `${iso(2)},Pump.State,2,Analog`,
      `${iso(3)},Pump.State,STOPPED,text`,
      `${iso(4)},Pump.State,FAULT,state`,
      `${iso(5)},Pump.State,FAULT,`,
    ]);
    const { report, messages } = await run(path);
    expect(messages).toEqual([
      'bad.csv:3: field "kind": expected analog (the kind of Tank.Level in the archive); got "text"',
      'bad.csv:5: field "kind": expected text (the kind of Pump.State on line 4); got "analog"',
      'bad.csv:6: field "kind": expected text (the kind of Pump.State on line 4); got "Analog"',
      'bad.csv:8: field "kind": expected analog, discrete or text; got "state"',
      'bad.csv:9: field "kind": expected analog, discrete or text; got ""',
    ]);
    expect(report.createdTags).toEqual(['Pump.State']);
    expect(archive.h.kindOf('Pump.State')).toBe('text');
    expect(raw('Pump.State')).toEqual([[0, 'RUNNING'], [3000, 'STOPPED']]);
    expect(raw('Tank.Level')).toEqual([[0, 1.5]]);
  });

  it('reports each disagreeing row once in a file read by windows of time (out of order, over the sort budget)', async () => {
    const lines = ['time,tag,value,kind'];
    const order = [5, 0, 7, 2, 9, 4, 1, 8, 3, 6];
    for (const s of order) lines.push(`${iso(s)},S,${s === 9 ? 9 : `W${s}`},${s === 9 ? 'analog' : 'text'}`);
    const { report, messages } = await run(csv('win.csv', lines), { sortBudget: 3 });
    expect(messages).toEqual(['win.csv:6: field "kind": expected text (the kind of S on line 2); got "analog"']);
    expect(report.imported).toBe(9);
    expect(archive.h.kindOf('S')).toBe('text');
    expect(raw('S')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map((s) => [s * 1000, `W${s}`]));
  });

  it('a file without a kind column guesses kinds as before: a number among words makes the tag analog', async () => {
    const path = csv('old.csv', [
      'time,tag,value,unit,status',
      `${iso(0)},Pump.State,RUNNING,,Good`,
      `${iso(1)},Pump.State,1,,Good`,
      `${iso(2)},Pump.State,STOPPED,,Good`,
      `${iso(0)},Pump.Code,1,,Good`,
    ]);
    const { messages } = await run(path);
    expect(messages).toEqual([
      'old.csv:2: field "value": expected a number (decimal point, no thousands separator); got "RUNNING"',
      'old.csv:4: field "value": expected a number (decimal point, no thousands separator); got "STOPPED"',
    ]);
    expect([archive.h.kindOf('Pump.State'), archive.h.kindOf('Pump.Code')]).toEqual(['analog', 'analog']);
    expect(raw('Pump.State')).toEqual([[1000, 1]]);
  });
});
