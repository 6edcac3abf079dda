import { describe, expect, it } from 'vitest';
import { PointColumns } from './point-columns.js';

describe('PointColumns (an open block\'s points not written yet)', () => {
  it('keeps every point through growth, and gives views from any point, runs with one sequence number and objects', () => {
    const c = new PointColumns();
    // 40 points: grows past 16 and 32.
    for (let i = 0; i < 40; i++) c.push({ t: 1000 + i, value: i / 4, status: i === 3 ? 0x80310000 : 0, flags: i === 5 ? 4 : 0 });
    expect(c.length).toBe(40);
    const all = c.view();
    expect(all.length).toBe(40);
    expect([all.t[0], all.t[39], all.value[39], all.status[3], all.flags[5], all.flags[6]]).toEqual([1000, 1039, 9.75, 0x80310000, 4, 0]);
    const tail = c.view(37);
    expect(tail.length).toBe(3);
    expect([...tail.t]).toEqual([1037, 1038, 1039]);
    expect([...tail.value]).toEqual([9.25, 9.5, 9.75]);
    const run = c.run(7);
    expect(run.cols.length).toBe(40);
    expect(run.seqs.length).toBe(40);
    expect(new Set(run.seqs)).toEqual(new Set([7]));
    const points = c.points();
    expect(points.length).toBe(40);
    expect(points[3]).toEqual({ t: 1003, value: 0.75, status: 0x80310000, flags: 0, seq: undefined });
    expect(points[5]).toEqual({ t: 1005, value: 1.25, status: 0, flags: 4, seq: undefined });
    expect(points[39]).toEqual({ t: 1039, value: 9.75, status: 0, flags: 0, seq: undefined });
  });

  it('is empty when new; refuses a value that is not a number, naming its time', () => {
    const c = new PointColumns();
    expect([c.length, c.view().length, c.points().length]).toEqual([0, 0, 0]);
    expect(() => c.push({ t: 5, value: true, status: 0, flags: 0 })).toThrow('analog point at t=5: value must be a number, got boolean');
    expect(c.length).toBe(0);
  });

  it('clear empties it for the next points, keeping arrays of up to 128 points and dropping larger ones', () => {
    const c = new PointColumns();
    for (let i = 0; i < 100; i++) c.push({ t: i, value: i, status: 0, flags: 0 });
    c.clear();
    expect([c.length, c.t.length]).toEqual([0, 128]); // 16 doubled three times: kept
    c.push({ t: 500, value: 2.5, status: 1, flags: 2 });
    expect([c.length, c.t[0], c.value[0], c.status[0], c.flags[0]]).toEqual([1, 500, 2.5, 1, 2]);
    for (let i = 1; i < 129; i++) c.push({ t: 500 + i, value: i, status: 0, flags: 0 });
    expect(c.t.length).toBe(256);
    c.clear();
    expect([c.length, c.t.length, c.value.length, c.status.length, c.flags.length]).toEqual([0, 16, 16, 16, 16]);
  });
});
