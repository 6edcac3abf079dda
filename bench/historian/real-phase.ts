/**
 * Issue 12's real-shaped datasets through the public API, as an import would store them (tags
 * created with no acquisition cycle, volumes sized by the data rate as the CLI makes them, a flush per batch), each set once lossless,
 * once with deadband and once with swinging door at 1 % of the tag's span. Bytes are the whole
 * data directory after close (catalog, volumes, anything left beside them), against the zlib
 * baseline computed here on the same samples.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Historian, type Compression } from '../../historian/index.js';
import { dirBytes } from './disk.js';
import { payloadBytes, tagIds } from './hist-phase.js';
import { boundBits } from './entropy-bound.js';
import { realSets, type RealKind, type RealSet } from './real-shaped.js';
import { baselineBytes } from './zlib-baseline.js';

const MODES: [string, Compression][] = [
  ['none', { kind: 'none' }],
  ['deadband', { kind: 'deadband', deviation: 1, percentOfSpan: true }],
  ['swingingDoor', { kind: 'swinging-door', deviation: 1, percentOfSpan: true }],
];
/** Samples appended per tag between flushes (an import's batch). */
const BATCH = 10_000;

export interface RealSetFigures {
  name: string;
  description: string;
  tags: number;
  samples: number;
  baselineBytesPerSample: number;
  /** The baseline by each reading of the words (bytes/sample); baselineBytesPerSample takes the smaller per tag. */
  baselineByReading: { valuesAsIs: number; valuesAsDeltas: number };
  /** Whole data directory after close, per sample, by compression. */
  bytesPerSample: Record<string, number>;
  /** The information in the samples, at least (entropy-bound.ts): no lossless coder goes below it. */
  informationBytesPerSample: number;
  /** Lossless bytes on disk / baseline bytes (target <= 0.8). */
  ratioToBaseline: number;
  /** Compressed / lossless, whole directory. */
  compressedToLossless: Record<string, number>;
  /** Compressed / lossless codec payload by kind of signal (target <= 1 each). */
  compressedToLosslessByKind: Record<string, Record<string, number>>;
  /** Share of the samples archived (incl. added records) by compression. */
  archivedShare: Record<string, number>;
  losslessIngestSamplesPerSecond: number;
}

export async function realShapedRun(root: string, seed: number, t0: number, scale: number, log: (m: string) => void): Promise<RealSetFigures[]> {
  const out: RealSetFigures[] = [];
  for (const set of realSets(seed, t0, scale)) {
    log(`real-shaped ${set.name}: ${set.tags.length} tags, ${set.samples} samples`);
    const readings = set.tags.map((tag) => baselineBytes(tag.samples));
    const baseline = readings.reduce((n, b) => n + b.bytes, 0);
    const bytes: Record<string, number> = {}, archived: Record<string, number> = {};
    const payload: Record<string, Map<RealKind, number>> = {};
    let ingestMs = 0;
    for (const [mode, compression] of MODES) {
      const dir = join(root, `real-${set.name}-${mode}`);
      const r = await ingest(dir, set, compression);
      if (mode === 'none') ingestMs = r.ms;
      bytes[mode] = dirBytes(dir);
      archived[mode] = r.archived;
      payload[mode] = payloadByKind(dir, set);
    }
    const lossless = bytes.none!;
    const byKind: Record<string, Record<string, number>> = {};
    for (const [mode] of MODES.slice(1)) {
      byKind[mode] = Object.fromEntries([...payload[mode]!].map(([kind, b]) => [kind, b / payload.none!.get(kind)!]));
    }
    out.push({
      name: set.name, description: set.description, tags: set.tags.length, samples: set.samples,
      baselineBytesPerSample: baseline / set.samples,
      baselineByReading: {
        valuesAsIs: readings.reduce((n, b) => n + b.valuesAsIs, 0) / set.samples,
        valuesAsDeltas: readings.reduce((n, b) => n + b.valuesAsDeltas, 0) / set.samples,
      },
      bytesPerSample: Object.fromEntries(Object.entries(bytes).map(([k, v]) => [k, v / set.samples])),
      informationBytesPerSample: set.tags.reduce((n, tag) => n + boundBits(tag) * tag.samples.length, 0) / 8 / set.samples,
      ratioToBaseline: lossless / baseline,
      compressedToLossless: { deadband: bytes.deadband! / lossless, swingingDoor: bytes.swingingDoor! / lossless },
      compressedToLosslessByKind: byKind,
      archivedShare: Object.fromEntries(Object.entries(archived).map(([k, v]) => [k, v / set.samples])),
      losslessIngestSamplesPerSecond: set.samples / (ingestMs / 1000),
    });
  }
  return out;
}

export async function ingest(dir: string, set: RealSet, compression: Compression): Promise<{ ms: number; archived: number }> {
  mkdirSync(dir, { recursive: true });
  const h = Historian.open(dir, { volumePeriod: 'auto', flushIntervalMs: 0, ...(process.env.VIGIL_BLOCK ? { blockSize: Number(process.env.VIGIL_BLOCK) } : {}) });
  const t0 = set.tags[0]!.samples[0]!.t;
  h.defineTags(set.tags.map((tag) => {
    let low = Infinity, high = -Infinity;
    for (const s of tag.samples) { low = Math.min(low, s.value as number); high = Math.max(high, s.value as number); }
    if (high <= low) high = low + 1;
    return {
      name: tag.name, kind: 'analog' as const, description: `real-shaped ${tag.kind}`, unit: '', range: { low, high },
      compression, stepped: false, cycleMs: 0,
    };
  }), t0);
  const start = performance.now();
  const longest = Math.max(...set.tags.map((t) => t.samples.length));
  for (let i = 0; i < longest; i += BATCH) {
    for (const tag of set.tags) if (i < tag.samples.length) h.append(tag.name, tag.samples.slice(i, i + BATCH));
    h.flush();
  }
  await h.close();
  const ms = performance.now() - start;
  const reader = Historian.open(dir, { flushIntervalMs: 0 });
  const s = reader.stats();
  await reader.close();
  return { ms, archived: s.samplesArchived + s.recordsAdded };
}

/** Codec payload bytes by kind of signal. */
function payloadByKind(dir: string, set: RealSet): Map<RealKind, number> {
  const ids = tagIds(dir, set.tags.map((t) => t.name));
  const bytes = payloadBytes(dir);
  const out = new Map<RealKind, number>();
  set.tags.forEach((tag, i) => out.set(tag.kind, (out.get(tag.kind) ?? 0) + (bytes.get(ids[i]!) ?? 0)));
  return out;
}
