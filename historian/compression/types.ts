import type { ArchivedSample, Sample } from '../types.js';

/** A per-tag compressor: raw samples in, points to archive out. */
export interface Compressor {
  /**
   * Feed one raw sample (strictly increasing t). Returns the points to archive now, in time
   * order: usually 0 or 1; up to 3 when a status change archives the held point and the new one
   * behind a cyclic record. Nothing to archive (the usual case) is one shared empty array: a
   * fresh one per sample was a good part of what an ingest's collector had to sweep.
   * `cyclic` false: no HIST cyclic record before this sample, whatever the gap (its source, a
   * file, does not say the value held over it).
   */
  push(s: Sample, cyclic?: boolean): readonly ArchivedSample[];
  /**
   * A sample at or before the newest one's time (a late one, or one the store archives as given:
   * the store archives it itself, as given). Returns what the compressor held at other times and
   * must archive now (time order); when the sample is at the time of a point the compressor
   * holds or measures from, or newer than all it has seen, the compressor lets go of what it
   * superseded and starts a segment from the newest point archived, so that nothing it archives
   * later (a held point, a cyclic or hold record) carries a value or status the sample replaced.
   * Any other late sample changes nothing: NOTHING.
   */
  pushLate(s: Sample): readonly ArchivedSample[];
  /** The held point (PI "snapshot") that is not archived yet, or null: what flush() would archive last. */
  pending(): ArchivedSample | null;
  /** Archive the held point now (shutdown, config change, end of stream). */
  flush(): ArchivedSample[];
  /**
   * Archive the newest raw sample as it is (unless it is archived already) and start afresh:
   * the next sample is archived too, and decisions measure from it. The store calls it where it
   * stores every raw sample of a block (store/raw-window.ts): the block then ends on an exact
   * sample, and the next one starts on one, just as a lossless block would.
   */
  restart(): ArchivedSample[];
  /** State to persist at each store flush and restore after a restart (JSON-serialisable). */
  snapshot(): CompressorState;
  /**
   * snapshot()'s fields handed to `sink` as the compressor holds them, no object made: the store
   * saves every live tag's state at every flush, and snapshot()'s objects were ~5 % of a
   * swinging-door ingest. The store encodes them to the same bytes as snapshot() (state-save.test.ts).
   */
  saveState(sink: StateSink): void;
  /**
   * The cycle its cyclic record goes by from now (an analog tag's; 0: none): the tag's version
   * says the configured one, and the store sets the slower one a server granted (TagWriter.grant).
   */
  setCycle?(cycleMs: number): void;
}

/**
 * Where saveState() hands a compressor's state. The points are the compressor's own (read them
 * during the call, keep none); an open door is -Infinity / Infinity (snapshot(): null).
 */
export interface StateSink {
  state(family: CompressorState['family'], last: ArchivedSample | null, held: ArchivedSample | null, latest: ArchivedSample | null,
    suppressed: number, doorMin: number, doorMax: number, excLast: ArchivedSample | null, excHeld: ArchivedSample | null): void;
}

/** What push() returns when nothing is to be archived. */
export const NOTHING: readonly ArchivedSample[] = Object.freeze([]);

/** Where a compressor hands its points one by one, as numbers (no object per point): LosslessCompressor.pushTo. */
export type PointSink = (t: number, value: number, status: number, flags: number) => void;

/**
 * A number as JSON can carry it: non-finite values and -0 travel as strings
 * ('NaN', 'Infinity', '-Infinity', '-0') because JSON.stringify would turn them into null or 0.
 */
export type JsonNumber = number | 'NaN' | 'Infinity' | '-Infinity' | '-0';

/** An archived-sample as persisted in a CompressorState. */
export interface StatePoint {
  t: number;
  value: JsonNumber | boolean | string;
  status: number;
  flags: number;
}

/** Everything a compressor needs to continue after a restart, JSON-serialisable. */
export interface CompressorState {
  version: 1;
  /** Which compressor wrote it: 'analog' or 'discrete' (discrete and text tags). */
  family: 'analog' | 'discrete';
  /** Last archived point: the anchor of the current segment. */
  last: StatePoint | null;
  /** Held point (not archived yet). */
  held: StatePoint | null;
  /** Last raw sample seen (gap and order checks). */
  latest: StatePoint | null;
  /** Raw samples since `last` that were not archived (deadband). */
  suppressed: number;
  /** Swinging door slopes (value per ms) from `last`; null while the door is wide open. */
  doorMin: number | null;
  doorMax: number | null;
  /** Exception filter: last value passed to the door, and the raw sample it holds back. */
  excLast: StatePoint | null;
  excHeld: StatePoint | null;
}
