/**
 * Packed block summaries by volume and tag, valid while the volume's
 * data_version is unchanged; least recently used dropped beyond a byte budget.
 */
export class SummaryCache<T = unknown> {
  private readonly map = new Map<string, { version: number; parts: T[]; bytes: number }>();
  private bytes = 0;

  constructor(private readonly budget = 64 << 20) {}

  get(key: string, version: number): T[] | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    this.map.delete(key);
    if (e.version !== version) {
      this.bytes -= e.bytes;
      return undefined;
    }
    this.map.set(key, e);
    return e.parts;
  }

  /** An entry took `bytes` more (something it holds grew). */
  grow(key: string, bytes: number): void {
    const e = this.map.get(key);
    if (!e) return;
    e.bytes += bytes;
    this.bytes += bytes;
    this.evict();
  }

  set(key: string, version: number, parts: T[], bytes: number): void {
    const old = this.map.get(key);
    if (old) {
      // Replacing: free the old entry's bytes, and delete it so the new one is the most recent.
      this.map.delete(key);
      this.bytes -= old.bytes;
    }
    this.map.set(key, { version, parts, bytes });
    this.bytes += bytes;
    this.evict();
  }

  private evict(): void {
    for (const [k, e] of this.map) {
      if (this.bytes <= this.budget) break;
      this.map.delete(k);
      this.bytes -= e.bytes;
    }
  }
}
