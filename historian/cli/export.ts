/** `export`: raw or processed reads to RFC 4180 CSV, streamed. */
import { existsSync } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Command } from '../cli.js';
import type { ArchiveReader } from './reader.js';
import { aggregateNames, type AggregateName } from '../aggregates/index.js';
import { valueCell, writeCsv, type ExportRow } from '../csv/write.js';
import type { HistValue, TagKind } from '../types.js';
import { parseOffset } from '../csv/time.js';
import { durationArg, oneOf, timeArg, UsageError } from './args.js';
import { warnUnreadable, withReader } from './reader.js';
import { OutFile, OutFileTaken } from './out-file.js';

export interface ReadSpec {
  tags: string[];
  start: number;
  end: number;
  aggregate?: AggregateName;
  intervalMs?: number;
  bounds: boolean;
  order: 'tag' | 'time';
}

type Values = Record<string, string | boolean | string[] | undefined>;

export const readOptions = {
  data: { type: 'string' },
  tag: { type: 'string', multiple: true },
  from: { type: 'string' },
  to: { type: 'string' },
  aggregate: { type: 'string' },
  interval: { type: 'string' },
  bounds: { type: 'boolean' },
  order: { type: 'string' },
} as const;

export function readSpec(v: Values): ReadSpec {
  const tags = (v.tag as string[] | undefined) ?? [];
  if (tags.length === 0) throw new UsageError('--tag <name or pattern with * ?>: required (repeat it for several)');
  const spec: ReadSpec = {
    tags,
    start: timeArg('from', v.from as string | undefined),
    end: timeArg('to', v.to as string | undefined),
    bounds: v.bounds === true,
    order: oneOf('order', v.order as string | undefined, ['tag', 'time'] as const, 'tag'),
  };
  if (v.aggregate !== undefined) {
    spec.aggregate = oneOf('aggregate', v.aggregate as string, aggregateNames, 'Average');
    spec.intervalMs = durationArg('interval', (v.interval as string | undefined) ?? '1h');
  } else if (v.interval !== undefined) throw new UsageError('--interval: only with --aggregate');
  return spec;
}

/**
 * The rows of a raw read (paged) or a processed read, with each tag's unit at the value's time and
 * its kind (the export's kind column): a raw read's the tag's own; a processed read's that of its
 * values (an Average of a discrete tag is numbers: analog), so that the file reads back as written.
 */
export async function* readRows(h: ArchiveReader, given: ReadSpec): AsyncGenerator<ExportRow> {
  const spec = { ...given, tags: h.resolveNames(given.tags) };
  const unit = (tag: string, t: number): string => h.unitAt(tag, t);
  const kinds = h.tagKinds();
  if (spec.aggregate !== undefined) {
    const result = h.readProcessed({ tags: spec.tags, start: spec.start, end: spec.end, intervalMs: spec.intervalMs!, aggregate: spec.aggregate });
    for (const { tag, values } of result) {
      const kind = kindOfValues(values, kinds.get(tag) ?? 'analog');
      for (const value of values) yield { tag, unit: unit(tag, value.t), value, kind };
    }
    return;
  }
  let continuation: string | null = null;
  do {
    const page = h.readRaw({ tags: spec.tags, start: spec.start, end: spec.end, bounds: spec.bounds, order: spec.order, continuation, pageSize: 10_000 });
    for (const { tag, ...value } of page.rows) yield { tag, unit: unit(tag, value.t), value, kind: kinds.get(tag) };
    continuation = page.continuation;
  } while (continuation !== null);
}

/** The kind of a processed read's values: that of its first value written (not an empty cell), else the tag's. */
function kindOfValues(values: readonly HistValue[], tagKind: TagKind): TagKind {
  const v = values.find((x) => valueCell(x) !== '')?.value;
  if (v === undefined) return tagKind;
  return typeof v === 'number' ? 'analog' : typeof v === 'boolean' ? 'discrete' : 'text';
}

export const exportCommand: Command = {
  summary: 'export raw or processed values to CSV (RFC 4180)',
  usage: `usage: npm run historian -- export --data <dir> --tag <pattern> [--tag ...] --from <iso|ms> --to <iso|ms>
         [--aggregate <name> --interval 60s] [--bounds] [--order tag|time] [--offset +02:00] [--out file.csv]

Columns: time (ISO 8601 with offset), tag, value, unit, status (name), status_code (hex), flags,
kind (analog, discrete or text). The file reads back with \`import\`: each tag is created
with the kind of its kind column (a text tag of "1", "2" stays text); with --aggregate the kind
is that of the aggregate's values (an Average is analog). --tag takes a name or a pattern with * and ?.
--to before --from reads newest first. --bounds adds the values just outside the range (a value
exactly at --from or --to is its own bound; where none exists, a NoData row, which import skips).
--aggregate: ${aggregateNames.join(', ')} (interval default 1h).
Without --out the CSV goes to stdout. --out is written whole or not at all (a .part beside it until
the last row is synced): a full disk, Ctrl-C (exit code 130) or SIGTERM (143) leaves no file.
A volume file that is missing or damaged is left out with a warning naming it (exit code 1).
`,
  options: { ...readOptions, out: { type: 'string' }, offset: { type: 'string' } },
  async run(v) {
    const spec = readSpec(v);
    const offset = parseOffset((v.offset as string | undefined) ?? 'Z');
    if (offset === undefined) throw new UsageError(`--offset: expected Z or ±hh:mm; got "${String(v.offset)}"`);
    const outPath = v.out as string | undefined;
    if (outPath !== undefined && existsSync(outPath)) throw new Error(`${outPath}: already exists (not overwritten)`);
    return withReader(v.data as string | undefined, async (h) => {
      if (outPath === undefined) {
        await writeCsv(readRows(h, spec), process.stdout, { offsetMinutes: offset, end: false, kind: true });
        return warnUnreadable('historian export', h.unreadableVolumes());
      }
      const count = await exportToFile(outPath, (out) => writeCsv(readRows(h, spec), out, { offsetMinutes: offset, end: true, kind: true }));
      if (typeof count === 'string') {
        process.stderr.write(`historian export: ${outPath}: interrupted (${count}): nothing written, the rows read so far are discarded\n`);
        return SIGNAL_EXIT[count] ?? 1;
      }
      process.stderr.write(`${count} values written to ${outPath}\n`);
      return warnUnreadable('historian export', h.unreadableVolumes());
    });
  },
};

/** Exit code of an export stopped by a signal: 128 + its number, as a shell reports it. */
const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Writes --out whole or not at all (out-file.ts): the count of rows written, or the signal that
 * stopped it. A failure (disk full, a file size limit) leaves no file and names the one it was for.
 */
async function exportToFile(path: string, write: (out: Writable) => Promise<number>): Promise<number | NodeJS.Signals> {
  const file = new OutFile(path);
  let stoppedBy: NodeJS.Signals | undefined;
  const onSignal = (s: NodeJS.Signals) => {
    stoppedBy ??= s;
    file.abort(`interrupted by ${s}`);
  };
  // on, not once: Ctrl-C reaches node from the terminal and again from tsx; a second must not kill it before the .part is gone
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const count = await write(file.stream);
    if (stoppedBy !== undefined) throw new Error(`interrupted by ${stoppedBy}`);
    file.commit(); // removes the .part whatever happens; its own errors name the file
    return count;
  } catch (e) {
    if (e instanceof OutFileTaken) throw e;
    file.discard();
    if (stoppedBy !== undefined) return stoppedBy;
    throw new Error(`${path}: not written: ${(e as Error).message}; nothing of it is left (run the export again once the cause is fixed)`);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
