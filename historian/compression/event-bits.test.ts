/**
 * A value whose status says something happened at it is archived whatever the compression:
 * Overflow (0x480: InfoType DataValue + bit 7, the server's queue lost values before it, Part 4
 * 7.39.1) and SemanticsChanged / StructureChanged (bits 14, 15). Each series below would archive
 * nothing at the marked value without the rule (the value is within the deviation, or unchanged);
 * the expected archives are worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { Good, Overflow, InfoTypeDataValue, SemanticsChanged, StructureChanged } from '../status.js';
import type { Sample, TagConfig } from '../types.js';
import { analogTag, run } from './testing.js';

const OVERFLOW = InfoTypeDataValue | Overflow;
const s = (t: number, value: number | boolean, status = Good): Sample => ({ t, value, status });
const archived = (points: { t: number; value: unknown; status: number }[]) => points.map((p) => [p.t, p.value, p.status]);
const discrete = { name: 'Valve', kind: 'discrete', description: '', unit: '', compression: { kind: 'none' }, stepped: true, cycleMs: 0 } as TagConfig;

describe('values marking an event are archived', () => {
  it.each([['Overflow', OVERFLOW], ['SemanticsChanged', SemanticsChanged], ['StructureChanged', StructureChanged]])('%s on a discrete tag whose value did not change', (_, bit) => {
    const r = run(discrete, [s(1000, 0), s(2000, 0, bit), s(3000, 0), s(4000, 1)]);
    expect(archived(r.archived)).toEqual([[1000, 0, Good], [2000, 0, bit], [4000, 1, Good]]);
  });

  it('Overflow on a deadband tag within its deviation: the value is archived, and the band goes on from it', () => {
    // 50.3 and 50.6 are within the band of 50.2; 51 leaves it: before it, the hold record (50.2 at
    // the held sample's time: two samples were suppressed on this linear tag, compression/README.md).
    const r = run(analogTag({ kind: 'deadband', deviation: 0.5 }), [s(1000, 50), s(2000, 50.2, OVERFLOW), s(3000, 50.3), s(4000, 50.6), s(5000, 51)]);
    expect(archived(r.archived)).toEqual([[1000, 50, Good], [2000, 50.2, OVERFLOW], [4000, 50.2, Good], [5000, 51, Good]]);
  });

  it('Overflow on a swinging-door tag on a straight line: the value is archived, the door starts again from it', () => {
    // 50, 51, 52, 53 lie on one line: without the mark the door archives none of 51..53 before the jump to 60.
    const r = run(analogTag({ kind: 'swinging-door', deviation: 0.5 }), [s(1000, 50), s(2000, 51, OVERFLOW), s(3000, 52), s(4000, 53), s(5000, 60)]);
    expect(archived(r.archived).slice(0, 3)).toEqual([[1000, 50, Good], [2000, 51, OVERFLOW], [4000, 53, Good]]);
  });
});
