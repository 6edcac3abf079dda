/**
 * The import's late path writes what changes the archive and nothing it holds already: never
 * less. Real archives in temp dirs; each expected list is written out by hand.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Historian } from '../index.js';
import { BadSensorFailure, Good, UncertainLastUsableValue } from '../status.js';
import type { Compression, Sample, TagKind } from '../types.js';
import { LateFilter } from './late-filter.js';

let dir: string;
let h: Historian;
const T0 = Date.UTC(2024, 4, 1);
const s = (sec: number, value: Sample['value'], status = Good): Sample => ({ t: T0 + sec * 1000, value, status });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-late-filter-'));
  h = Historian.open(dir, { flushIntervalMs: 0, sortWindowMs: 0 });
});
afterEach(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

function tag(name: string, kind: TagKind, compression: Compression = { kind: 'none' }, archived: Sample[] = [], maxIntervalMs?: number) {
  const c = compression.kind === 'none' || maxIntervalMs === undefined ? compression : { ...compression, maxIntervalMs };
  h.defineTag({ name, kind, description: '', unit: '', compression: c, stepped: kind !== 'analog', cycleMs: 0 }, 0);
  if (archived.length) h.insert(name, archived); // archived as given: exactly these points
  h.flush();
}

const secondsOf = (samples: Sample[]) => samples.map((x) => (x.t - T0) / 1000);

describe('LateFilter', () => {
  it('lossless: drops only samples identical in value (Object.is) and status to the archived one at their time', () => {
    tag('A', 'analog', { kind: 'none' }, [s(0, 1), s(10, 2), s(20, -0), s(30, NaN, BadSensorFailure)]);
    const late = [s(0, 1), s(5, 1.5), s(10, 2.0000001), s(20, 0), s(30, NaN, BadSensorFailure), s(31, 3)];
    expect(secondsOf(new LateFilter(dir).changes('A', late))).toEqual([5, 10, 20, 31]);
  });

  it('compressed: drops the samples between two archived points only when the line between them holds every one within the deviation', () => {
    // Swinging door, deviation 0.5: archived 0 at 0 s and 10 at 10 s (a ramp), 10 at 20 s, 10 at 100 s.
    tag('B', 'analog', { kind: 'swinging-door', deviation: 0.5 }, [s(0, 0), s(10, 10), s(20, 10), s(100, 10)]);
    const f = new LateFilter(dir);
    // On the ramp within 0.5 (5.5 at 5 s): dropped, all of them.
    expect(f.changes('B', [s(3, 3.2), s(5, 5.5), s(7, 6.9)])).toEqual([]);
    f.reset();
    // One of them 0.6 off: the whole run between 0 s and 10 s is kept, as given.
    expect(secondsOf(f.changes('B', [s(3, 3.2), s(5, 5.6), s(7, 6.9)]))).toEqual([3, 5, 7]);
    f.reset();
    // Another status than the points around it (Uncertain between two Good), or no point after them: kept.
    expect(secondsOf(f.changes('B', [s(15, 10, UncertainLastUsableValue)]))).toEqual([15]);
    expect(secondsOf(f.changes('B', [s(101, 10)]))).toEqual([101]);
    expect(secondsOf(f.changes('B', [s(-1, 0)]))).toEqual([-1]);
  });

  it('compressed: keeps samples between points farther apart than CompMax (the compressor would have archived one)', () => {
    tag('C', 'analog', { kind: 'deadband', deviation: 1 }, [s(0, 5), s(100, 5)], 60_000);
    expect(secondsOf(new LateFilter(dir).changes('C', [s(50, 5)]))).toEqual([50]);
  });

  it('discrete and text: drops a sample that changes nothing, keeps the last one before a status change, as the compressor does', () => {
    tag('S', 'text', { kind: 'none' }, [s(0, 'RUN'), s(100, 'STOP')]);
    const f = new LateFilter(dir);
    // RUN again at 10 and 20 s: nothing new. FAULT at 30 s: a change. RUN at 40, 50 s, then RUN Uncertain at 60 s:
    // the status changes, so RUN at 50 s (the last unchanged one) is kept too.
    const late = [s(10, 'RUN'), s(20, 'RUN'), s(30, 'FAULT'), s(40, 'RUN'), s(50, 'RUN'), s(60, 'RUN', UncertainLastUsableValue), s(100, 'STOP')];
    const changes = f.changes('S', late);
    expect(secondsOf(changes)).toEqual([30, 40, 50, 60]);
    f.written('S', changes); // inserted
    // What it let through counts in the next calls, before any flush, also back in time: FAULT is in force at 35 s.
    expect(f.changes('S', [s(35, 'FAULT')])).toEqual([]);
    expect(secondsOf(f.changes('S', [s(45, 'FAULT')]))).toEqual([45]);
    tag('D', 'discrete', { kind: 'none' }, [s(0, true)]);
    expect(secondsOf(new LateFilter(dir).changes('D', [s(-5, true), s(5, true), s(6, false)]))).toEqual([-5, 6]);
  });

  it('a tag the archive files do not show yet: everything is a change', () => {
    expect(secondsOf(new LateFilter(dir).changes('nope', [s(1, 1)]))).toEqual([1]);
  });
});
