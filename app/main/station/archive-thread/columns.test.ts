import { describe, expect, it } from 'vitest';
import type { Sample, TagKind } from '../../../../historian/index.js';
import { decodeRuns, TagNumbers } from './columns.js';

const kinds: Record<string, TagKind> = { L: 'analog', P: 'discrete', X: 'text' };
const kindOf = (tag: string): TagKind | undefined => kinds[tag];

/** What the worker would append: each run of one tag's samples, in order. */
function runsOf(batch: Parameters<typeof decodeRuns>[0], names: string[], workerKinds: (tag: string) => TagKind | undefined = kindOf): [string, Sample[]][] {
  const runs: [string, Sample[]][] = [];
  decodeRuns(batch, names, workerKinds, (tag, samples) => runs.push([tag, samples]));
  return runs;
}

describe('archive thread columns', () => {
  it('carries each kind\'s value, the status and the time; a missing value becomes its kind\'s placeholder', () => {
    const numbers = new TagNumbers();
    const encoded = numbers.encode([
      { tag: 'L', t: 1000.7, value: 1.5, status: 0 },
      { tag: 'L', t: 2000, value: null, status: 0x80310000 },
      { tag: 'P', t: 1000, value: true, status: 0 },
      { tag: 'P', t: 2000, value: 0, status: 0 },
      { tag: 'P', t: 3000, value: null, status: 0x80310000 },
      { tag: 'X', t: 1000, value: 'Methanol', status: 0 },
      { tag: 'X', t: 2000, value: null, status: 0x80310000 },
      { tag: 'L', t: 3000, value: true, status: 0x00960000 },
    ], kindOf)!;
    expect(runsOf(encoded.batch, [])).toEqual([
      ['L', [{ t: 1000, value: 1.5, status: 0 }, { t: 2000, value: NaN, status: 0x80310000 }]],
      ['P', [{ t: 1000, value: true, status: 0 }, { t: 2000, value: 0, status: 0 }, { t: 3000, value: false, status: 0x80310000 }]],
      ['X', [{ t: 1000, value: 'Methanol', status: 0 }, { t: 2000, value: '', status: 0x80310000 }]],
      ['L', [{ t: 3000, value: 1, status: 0x00960000 }]],
    ]);
  });

  it('a discrete tag typed as an integer or an enumeration keeps its states; a Boolean stays a Boolean', () => {
    // A valve's enumeration: 0 closed, 1 opening, 2 open, 3 closing. Read as on/off, 1, 2 and 3
    // would all be "true" and the archive would not know an open valve from one moving.
    const states = [0, 1, 2, 3, 2, -1, 2147483647];
    const encoded = new TagNumbers().encode([
      ...states.map((value, i) => ({ tag: 'P', t: 1000 * (i + 1), value, status: 0 })),
      { tag: 'P', t: 9000, value: false, status: 0 },
      { tag: 'P', t: 10000, value: true, status: 0 },
    ], kindOf)!;
    const [[, samples]] = runsOf(encoded.batch, []) as [[string, Sample[]]];
    expect(samples.map((s) => s.value)).toEqual([...states, false, true]);
  });

  it('names a tag once, in the first batch that has it; skips tags not archived', () => {
    const numbers = new TagNumbers();
    const names: string[] = [];
    const first = numbers.encode([{ tag: 'L', t: 1, value: 1, status: 0 }, { tag: 'Nope', t: 1, value: 2, status: 0 }], kindOf)!;
    expect(first.batch.names).toEqual(['L']);
    expect(runsOf(first.batch, names)).toEqual([['L', [{ t: 1, value: 1, status: 0 }]]]);
    const second = numbers.encode([{ tag: 'X', t: 2, value: 'a', status: 0 }, { tag: 'L', t: 2, value: 3, status: 0 }], kindOf)!;
    expect(second.batch.names).toEqual(['X']);
    expect(runsOf(second.batch, names)).toEqual([['X', [{ t: 2, value: 'a', status: 0 }]], ['L', [{ t: 2, value: 3, status: 0 }]]]);
    expect(numbers.encode([{ tag: 'Nope', t: 3, value: 1, status: 0 }], kindOf)).toBeNull();
  });

  it('a tag the worker does not archive (its definition was refused there) costs no other tag its text', () => {
    const encoded = new TagNumbers().encode([
      { tag: 'X', t: 1, value: 'first', status: 0 },
      { tag: 'Y', t: 1, value: 'refused', status: 0 },
      { tag: 'X', t: 2, value: 'second', status: 0 },
    ], (tag) => (tag === 'X' || tag === 'Y' ? 'text' : undefined))!;
    expect(runsOf(encoded.batch, [], (tag) => (tag === 'X' ? 'text' : undefined))).toEqual([
      ['X', [{ t: 1, value: 'first', status: 0 }]],
      ['X', [{ t: 2, value: 'second', status: 0 }]],
    ]);
  });

  it('transfers the columns\' buffers (nothing is cloned sample by sample)', () => {
    const encoded = new TagNumbers().encode([{ tag: 'L', t: 1, value: 1, status: 0 }], kindOf)!;
    const { tag, t, value, status, boolean } = encoded.batch;
    expect(encoded.transfer).toEqual([tag.buffer, t.buffer, value.buffer, status.buffer, boolean.buffer]);
  });
});
