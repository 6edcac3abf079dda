/**
 * Acquired samples to columns (station's thread) and back to the historian's
 * samples (archive's thread). A bad sample may carry no value: the archive
 * keeps a typed placeholder and the bad status says it is not a value.
 */
import type { Sample, TagKind } from '../../../../historian/index.js';
import type { AcquiredSample } from '../../acquisition/sample.js';
import type { SampleColumns } from './protocol.js';

/** Gives each tag name a number the worker learns once (protocol.ts SampleColumns). */
export class TagNumbers {
  private readonly numbers = new Map<string, number>();

  /**
   * The samples of known tags (`kindOf` defined) as columns, and the buffers to transfer;
   * null when none is known.
   */
  encode(samples: readonly AcquiredSample[], kindOf: (tag: string) => TagKind | undefined): { batch: SampleColumns; transfer: ArrayBuffer[] } | null {
    const n = samples.length;
    const tag = new Int32Array(n), t = new Float64Array(n), value = new Float64Array(n), status = new Uint32Array(n), boolean = new Uint8Array(n);
    const names: string[] = [];
    const texts: string[] = [];
    let k = 0;
    for (const s of samples) {
      const kind = kindOf(s.tag);
      if (kind === undefined) continue;
      let id = this.numbers.get(s.tag);
      if (id === undefined) {
        id = this.numbers.size;
        this.numbers.set(s.tag, id);
        names.push(s.tag);
      }
      tag[k] = id;
      t[k] = Math.trunc(s.t);
      status[k] = s.status >>> 0;
      const v = s.value;
      if (kind === 'analog') value[k] = typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : NaN;
      else if (kind === 'discrete') {
        // A number stays one: an enumeration's states 2 and 3 are not "true". No value: false.
        if (typeof v === 'number') value[k] = v;
        else {
          value[k] = v === true ? 1 : 0;
          boolean[k] = 1;
        }
      }
      else {
        value[k] = texts.length; // where its text is
        texts.push(v === null ? '' : String(v));
      }
      k++;
    }
    if (k === 0) return null;
    const batch: SampleColumns = {
      names, tag: tag.subarray(0, k), t: t.subarray(0, k), value: value.subarray(0, k), status: status.subarray(0, k), boolean: boolean.subarray(0, k), texts,
    };
    return { batch, transfer: [tag.buffer, t.buffer, value.buffer, status.buffer, boolean.buffer] };
  }
}

/**
 * Calls `run` with each run of one tag's consecutive samples, in order (a publish holds one
 * sample of each of thousands of tags: no map of lists per batch). `names` grows with the
 * batch's new names; `kindOf` undefined: the tag is not archived here, its samples are skipped.
 */
export function decodeRuns(
  batch: SampleColumns,
  names: string[],
  kindOf: (tag: string) => TagKind | undefined,
  run: (tag: string, samples: Sample[]) => void,
): void {
  names.push(...batch.names);
  let current = -1;
  let kind: TagKind | undefined;
  let samples: Sample[] = [];
  for (let i = 0; i < batch.tag.length; i++) {
    const id = batch.tag[i]!;
    if (id !== current) {
      if (samples.length) run(names[current]!, samples);
      samples = [];
      current = id;
      kind = kindOf(names[id]!);
    }
    if (kind === undefined) continue;
    const v = batch.value[i]!;
    const value = kind === 'text' ? batch.texts[v]! : kind === 'discrete' && batch.boolean[i] === 1 ? v !== 0 : v;
    samples.push({ t: batch.t[i]!, value, status: batch.status[i]! });
  }
  if (samples.length) run(names[current]!, samples);
}
