/**
 * history.plot / history.raw / history.processed: the historian's reader
 * worker answers; this thread only checks the request, asks, and encodes.
 * Errors keep their meaning: an unknown tag is a bad request, not a failure
 * of the station.
 */
import { RAW_BOOLEAN, type HistorianReader, type HistValue, type PlotSeries, type TagVersion, type VolumeProblem } from '../../../historian/index.js';
import { Good, isGood } from '../../../historian/status.js';
import type { HistorySeries, Params, Result } from '../../shared/api.js';
import { ApiFailure } from '../api/dispatcher.js';
import { BucketGrid, encodePlot, encodeProcessed, encodeRawSeries, pointOf, versionsOver } from './history-encode.js';

/** What the service needs of the historian (a Historian or the station's archive fits). */
export interface HistorySource {
  readonly reader: HistorianReader;
  tagNames(): string[];
  versions(name: string): TagVersion[];
  /** The tags' newest points written where readers see them (the archive's writer may run in another thread). */
  publish(names: string[]): void | Promise<void>;
}

/** Beyond this many end-status probes per tag the rest count as bad: never bridged on a guess. */
const MAX_PROBES = 512;
const FAR_PAST = -8.64e15, FAR_FUTURE = 8.64e15;

export class HistoryService {
  /**
   * @param more reader workers besides the historian's own: the tags of one
   * request are shared out among them, so a long plot read uses more than one core.
   */
  constructor(
    private readonly h: HistorySource,
    private readonly more: () => readonly HistorianReader[] = () => [],
  ) {}

  /** The reader for the i-th tag of a request. */
  private readerFor(i: number): HistorianReader {
    const extra = this.more();
    const k = i % (extra.length + 1);
    return k === 0 ? this.h.reader : extra[k - 1]!;
  }

  /** Plot reads of the tags, shared out among the readers, in the tags' order. */
  private async plots(tags: string[], start: number, end: number, buckets: number, snapMs: number): Promise<PlotSeries[]> {
    const n = this.more().length + 1;
    const groups = Array.from({ length: Math.min(n, tags.length) }, (_, g) => tags.filter((_, i) => i % n === g));
    const answers = await Promise.all(groups.map((group, g) => this.readerFor(g).plot({ tags: group, start, end, buckets, snapMs })));
    return tags.map((_, i) => answers[i % n]![Math.floor(i / n)]!);
  }

  /**
   * Every archived tag with its newest configuration as the catalog keeps it: a tag renamed or
   * removed from the station's configuration stays archived under its old name, and stays readable.
   */
  tags(): Result<'history.tags'> {
    return this.h.tagNames().map((name) => {
      const c = this.h.versions(name).at(-1)!.config;
      return { name, kind: c.kind, description: c.description, unit: c.unit, range: c.range ? [c.range.low, c.range.high] : null, stepped: c.stepped };
    });
  }

  async plot(p: Params<'history.plot'> & { rawBelow: number }): Promise<Result<'history.plot'>> {
    const tags = await this.check(p.tags);
    // Pixel columns: a block crossing an edge by less than half a column is not decoded (historian/read/plot.ts).
    const snapMs = p.exactEdges ? 0 : (p.end - p.start) / p.buckets / 2;
    const plots = await this.plots(tags, p.start, p.end, p.buckets, snapMs);
    const series = await Promise.all(
      plots.map(async (s, i): Promise<HistorySeries> => {
        const r = this.readerFor(i);
        const [before, after] = await Promise.all([this.before(r, s.tag, p.start), this.atOrAfter(r, s.tag, p.end)]);
        let total = 0;
        for (let i = 0; i < s.count.length; i++) total += s.count[i]!;
        if (total <= p.rawBelow) {
          const raw = await this.rawColumns(r, s.tag, p.start, Math.ceil(p.end) - 1, p.rawBelow + 1);
          return { ...(await this.head(r, s.tag, p.start, p.end, before, after)), raw };
        }
        const plot = encodePlot(s, await this.endStatus(r, s));
        return { ...(await this.head(r, s.tag, p.start, p.end, before, after)), plot };
      }),
    );
    return { start: p.start, end: p.end, buckets: p.buckets, series };
  }

  async raw(p: Params<'history.raw'> & { limit: number }): Promise<Result<'history.raw'>> {
    const tags = await this.check(p.tags);
    const series = await Promise.all(
      tags.map(async (tag, i): Promise<HistorySeries> => {
        const r = this.readerFor(i);
        const [before, after, raw] = await Promise.all([
          this.before(r, tag, p.start),
          this.atOrAfter(r, tag, p.end + 1),
          this.rawColumns(r, tag, p.start, p.end, p.limit),
        ]);
        return { ...(await this.head(r, tag, p.start, p.end, before, after)), raw };
      }),
    );
    return { start: p.start, end: p.end, series };
  }

  async processed(p: Params<'history.processed'>): Promise<Result<'history.processed'>> {
    const tags = await this.check(p.tags);
    const result = await this.h.reader.processed({ tags, start: p.start, end: p.end, intervalMs: p.intervalMs, aggregate: p.aggregate });
    const series = await Promise.all(
      result.map(async ({ tag, values }, i): Promise<HistorySeries> => {
        const r = this.readerFor(i);
        const [before, after] = await Promise.all([this.before(r, tag, p.start), this.atOrAfter(r, tag, p.end)]);
        // The processed read ran on the historian's own reader: it is the one that met unreadable files.
        const head = await this.head(this.h.reader, tag, p.start, p.end, before, after);
        return { ...head, processed: encodeProcessed(values) };
      }),
    );
    return { start: p.start, end: p.end, intervalMs: p.intervalMs, series };
  }

  /** The tags, each once, all archived here; else a bad request naming the first unknown one. */
  private async check(tags: readonly string[]): Promise<string[]> {
    const known = new Set(this.h.tagNames());
    for (const tag of tags) {
      if (!known.has(tag)) {
        throw new ApiFailure('bad_request', `history: tag "${tag}" is not archived in this station`, { key: 'history.error.unknownTag', params: { tag } });
      }
    }
    const unique = [...new Set(tags)];
    await this.h.publish(unique); // what the tags received up to now is read too, not only what the background flushes wrote
    return unique;
  }

  /** What every answer says of a tag; `r` is the reader that read it (asked after its reads, for the files it could not read). */
  private async head(r: HistorianReader, tag: string, start: number, end: number, before: HistValue | undefined, after: HistValue | undefined) {
    const all = this.h.versions(tag);
    const unavailable = unavailableSpans(await r.unreadableVolumes(), start, end);
    return {
      tag, kind: all[0]!.config.kind, versions: versionsOver(all, start, end), before: pointOf(before), after: pointOf(after),
      ...(unavailable.length ? { unavailable } : {}),
    };
  }

  /** Up to `limit` values in [lo, hi] as the API's columns (read as typed columns); complete false when more were there. */
  private async rawColumns(r: HistorianReader, tag: string, lo: number, hi: number, limit: number) {
    const page = await r.rawColumns({ tags: [tag], start: lo, end: hi, pageSize: limit });
    return encodeRawSeries(page.series[0], page.continuation === null);
  }

  /** The last archived value before t. */
  private before(r: HistorianReader, tag: string, t: number): Promise<HistValue | undefined> {
    return firstValue(r, tag, t - 1, FAR_PAST);
  }

  /** The first archived value at or after t. */
  private atOrAfter(r: HistorianReader, tag: string, t: number): Promise<HistValue | undefined> {
    return firstValue(r, tag, t, FAR_FUTURE);
  }

  /**
   * The status of each bucket's last value where it matters: a bucket that is
   * not all good and is followed by an empty one (or is the last) decides
   * whether the trend goes on or a bad span does; one where a bad span starts
   * (after a bucket with good values) names its cause. Elsewhere: the bucket's status.
   */
  private async endStatus(r: HistorianReader, s: PlotSeries): Promise<Uint32Array> {
    const n = s.t.length;
    const out = Uint32Array.from(s.status);
    const grid = new BucketGrid(s.start, s.end, n);
    const probes: Promise<void>[] = [];
    let goodBefore = true; // the last bucket with values had a good one
    for (let b = 0; b < n; b++) {
      if (s.count[b] === 0) continue;
      const hasGood = s.first[b] === s.first[b];
      const gapStarts = !hasGood && goodBefore;
      goodBefore = hasGood;
      if (isGood(s.status[b]!)) continue;
      const beforeEmpty = b + 1 >= n || s.count[b + 1] === 0;
      if (!beforeEmpty && !gapStarts) continue;
      if (probes.length >= MAX_PROBES) {
        out[b] = 0x80000000; // Bad: not looked at, so not bridged
        continue;
      }
      const lo = grid.firstMs(b), hi = grid.firstMs(b + 1) - 1;
      probes.push(
        firstValue(r, s.tag, hi, lo).then((v) => {
          out[b] = v?.status ?? Good;
        }),
      );
    }
    await Promise.all(probes);
    return out;
  }
}

/** The parts of [start, end) that unreadable volumes hold, in time order, touching ones joined. */
export function unavailableSpans(problems: readonly VolumeProblem[], start: number, end: number): [number, number][] {
  const spans = problems
    .filter((v) => v.end > start && v.start < end)
    .map((v): [number, number] => [Math.max(v.start, start), Math.min(v.end, end)])
    .sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && last[1] >= s[0]) last[1] = Math.max(last[1], s[1]);
    else out.push(s);
  }
  return out;
}

/**
 * The first value of a raw read from `start` towards `end` (either direction), through the
 * columnar read: it fetches the blocks one value needs, not a page's worth.
 */
async function firstValue(r: HistorianReader, tag: string, start: number, end: number): Promise<HistValue | undefined> {
  const s = (await r.rawColumns({ tags: [tag], start, end, pageSize: 1 })).series[0];
  if (s === undefined || s.length === 0) return undefined;
  const f = s.flags[0]!;
  const value = s.text ? s.text[0]! : f & RAW_BOOLEAN ? s.value[0] === 1 : s.value[0]!;
  return { t: s.t[0]!, value, status: s.status[0]!, flags: f & 0xff };
}
