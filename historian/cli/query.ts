/** `query`: raw, at-time, processed and plot reads printed as a table or JSON. */
import type { Command } from '../cli.js';
import type { PlotSeries } from '../index.js';
import { warnUnreadable, withReader, type ArchiveReader } from './reader.js';
import { formatTime } from '../csv/time.js';
import { statusHex, statusName } from '../csv/status-text.js';
import { flagNames } from '../csv/write.js';
import { intArg, oneOf, timeArg, UsageError } from './args.js';
import { readOptions, readRows, readSpec } from './export.js';

const KINDS = ['raw', 'at', 'processed', 'plot'] as const;
type Values = Record<string, string | boolean | string[] | undefined>;

interface Table {
  header: string[];
  rows: (string | number | boolean)[][];
  /** The rows stopped at --limit with more to come. */
  cut?: boolean;
}

function print(table: Table, json: boolean): void {
  if (json) {
    const objects = table.rows.map((r) => Object.fromEntries(table.header.map((h, i) => [h, r[i]])));
    process.stdout.write(`${JSON.stringify(objects)}\n`);
    return;
  }
  const cells = table.rows.map((r) => r.map(String));
  // A loop, not Math.max(...column): a spread of 150,000 rows overflowed the stack.
  const widths = table.header.map((h) => h.length);
  for (const r of cells) r.forEach((c, i) => { if (c.length > widths[i]) widths[i] = c.length; });
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  process.stdout.write([line(table.header), ...cells.map(line)].join('\n') + '\n');
}

const VALUE_HEADER = ['time', 'tag', 'value', 'status', 'status_code', 'flags'];

async function rawOrProcessed(h: ArchiveReader, v: Values, limit: number): Promise<Table> {
  const rows: Table['rows'] = [];
  for await (const r of readRows(h, readSpec(v))) {
    if (rows.length === limit) return { header: VALUE_HEADER, rows, cut: true };
    rows.push([formatTime(r.value.t), r.tag, r.value.value, statusName(r.value.status), statusHex(r.value.status), flagNames(r.value.flags)]);
  }
  return { header: VALUE_HEADER, rows };
}

function atTime(h: ArchiveReader, v: Values): Table {
  const tags = h.resolveNames((v.tag as string[] | undefined) ?? []);
  if (tags.length === 0) throw new UsageError('--tag: required');
  const times = ((v.at as string[] | undefined) ?? []).map((t) => timeArg('at', t));
  if (times.length === 0) throw new UsageError('--at <iso|ms>: required (repeat it for several times)');
  const mode = oneOf('mode', v.mode as string | undefined, ['auto', 'interpolated', 'stepped'] as const, 'auto');
  const rows: Table['rows'] = [];
  for (const { tag, values } of h.readAtTime({ tags, times, mode })) {
    for (const x of values) rows.push([formatTime(x.t), tag, x.value, statusName(x.status), statusHex(x.status), flagNames(x.flags)]);
  }
  return { header: VALUE_HEADER, rows };
}

function plot(h: ArchiveReader, v: Values): Table {
  const spec = readSpec(v);
  const buckets = intArg('buckets', v.buckets as string | undefined, 100);
  const rows: Table['rows'] = [];
  const num = (x: number) => (Number.isNaN(x) ? '' : x);
  for (const s of h.readPlot({ tags: h.resolveNames(spec.tags), start: spec.start, end: spec.end, buckets }) as PlotSeries[]) {
    for (let i = 0; i < s.t.length; i++) {
      rows.push([formatTime(s.t[i]), s.tag, num(s.min[i]), num(s.max[i]), num(s.first[i]), num(s.last[i]), s.count[i], statusName(s.status[i]), flagNames(s.flags[i])]);
    }
  }
  return { header: ['time', 'tag', 'min', 'max', 'first', 'last', 'count', 'status', 'flags'], rows };
}

export const queryCommand: Command = {
  summary: 'read raw, at-time, processed or plot values (table or --json)',
  usage: `usage: npm run historian -- query <raw|at|processed|plot> --data <dir> --tag <pattern> [--tag ...] [options]

  raw        --from <iso|ms> --to <iso|ms> [--bounds] [--order tag|time] [--limit N]   (default 100000;
             a note on stderr when rows were left out)
  at         --at <iso|ms> [--at ...] [--mode auto|interpolated|stepped]
  processed  --from --to --aggregate <name> [--interval 1h]
  plot       --from --to [--buckets 100]     min, max, first, last, count per bucket
--json prints one JSON array of row objects instead of a table.
A volume file that is missing or damaged is left out with a warning naming it (exit code 1).
`,
  options: { ...readOptions, at: { type: 'string', multiple: true }, mode: { type: 'string' }, buckets: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  async run(v, positionals) {
    const kind = positionals[0];
    if (positionals.length !== 1 || !(KINDS as readonly string[]).includes(kind)) {
      throw new UsageError(`expected one of ${KINDS.join(', ')}; got ${positionals.length ? `"${positionals.join(' ')}"` : 'nothing'}`);
    }
    if (kind === 'processed' && v.aggregate === undefined) throw new UsageError('processed: --aggregate <name> required');
    if (kind === 'raw' && v.aggregate !== undefined) throw new UsageError('raw: --aggregate belongs to processed');
    const limit = intArg('limit', v.limit as string | undefined, 100_000);
    return withReader(v.data as string | undefined, async (h) => {
      const table = kind === 'at' ? atTime(h, v) : kind === 'plot' ? plot(h, v) : await rawOrProcessed(h, v, limit);
      print(table, v.json === true);
      // Said, not silent: a table that looks complete but ends at the default 100,000 rows lacks the rest.
      if (table.cut) process.stderr.write(`historian query: stopped at --limit ${limit} rows; more rows lie in the range (--limit N for more, or export for all)\n`);
      return warnUnreadable('historian query', h.unreadableVolumes());
    });
  },
};
