import type { SampleColumns } from '../types.js';

/** Columns that grow by doubling: the processed-read buffer (t, value, status, flags). */
export class GrowingColumns {
  t: Float64Array;
  value: Float64Array;
  status: Uint32Array;
  /** Vigil's flags (Flag.Cyclic: a record the station made, which sample-based aggregates skip). */
  flags: Uint8Array;
  length: number;

  constructor(lead: number) {
    const cap = Math.max(1024, lead + 1);
    this.t = new Float64Array(cap);
    this.value = new Float64Array(cap);
    this.status = new Uint32Array(cap);
    this.flags = new Uint8Array(cap);
    this.length = lead;
  }

  /** Empties the columns (keeping their memory) with `lead` slots first. */
  reset(lead: number): void {
    this.length = 0;
    this.reserve(lead);
    this.length = lead;
  }

  /** Makes room for k more values. */
  reserve(k: number): void {
    const need = this.length + k;
    if (need <= this.t.length) return;
    const cap = Math.max(need, this.t.length * 2);
    const grow = <A extends Float64Array | Uint32Array | Uint8Array>(a: A, b: A): A => { b.set(a.subarray(0, this.length)); return b; };
    this.t = grow(this.t, new Float64Array(cap));
    this.value = grow(this.value, new Float64Array(cap));
    this.status = grow(this.status, new Uint32Array(cap));
    this.flags = grow(this.flags, new Uint8Array(cap));
  }

  /** Appends the values of a decoded block (t ascending) with lo <= t <= hi. */
  appendWithin(c: SampleColumns, lo: number, hi: number): void {
    let i0 = 0, i1 = c.length;
    while (i0 < i1 && c.t[i0]! < lo) i0++;
    while (i1 > i0 && c.t[i1 - 1]! > hi) i1--;
    const k = i1 - i0;
    if (k === 0) return;
    this.reserve(k);
    this.t.set(c.t.subarray(i0, i1), this.length);
    this.value.set(c.value.subarray(i0, i1), this.length);
    this.status.set(c.status.subarray(i0, i1), this.length);
    this.flags.set(c.flags.subarray(i0, i1), this.length);
    this.length += k;
  }

  put(i: number, t: number, value: number, status: number, flags = 0): void {
    this.t[i] = t;
    this.value[i] = value;
    this.status[i] = status;
    this.flags[i] = flags;
  }
}
