/** `import` and `watch`: CSV files into the archive. */
import type { Command } from '../cli.js';
import type { TagKind } from '../types.js';
import { formatRejection } from '../csv/read.js';
import { historianTarget, importCsvFile, type ImportOptions, type ImportReport } from '../csv/import.js';
import { Inbox } from '../csv/watch.js';
import { compressionArg, durationArg, oneOf, UsageError } from './args.js';
import { withArchive } from './open.js';

type Values = Record<string, string | boolean | string[] | undefined>;

const csvOptions = {
  wide: { type: 'boolean' },
  long: { type: 'boolean' },
  compression: { type: 'string' },
  'new-tags': { type: 'string' },
  'strict-time': { type: 'boolean' },
  data: { type: 'string' },
} as const;

const CSV_HELP = `CSV formats (RFC 4180, UTF-8, header row required):
  long:  time,tag,value[,status]     other columns (unit, status_code, flags) are allowed,
                                     so an export reads back; detected from the header
  wide:  time,<tag1>,<tag2>,...      an empty cell is no sample; all values Good
  time:   ISO 8601 (2024-05-01T12:00:00.000+02:00); without an offset it is read as UTC
          (--strict-time rejects it); or epoch milliseconds
  value:  a number (decimal point), true/false (or 1/0), or text for text tags;
          empty only with a Bad status
  status: Good, Uncertain, Bad, a name (BadSensorFailure, ...), a uint32 or 0x hex; empty: Good
Tags unknown to the archive are created: numbers -> analog, true/false -> discrete
(--new-tags analog|discrete|text to force a kind), with --compression (default none).
Rows newer than a tag's archive are appended (through the compressor); older rows fill
gaps through the late-data path (archived as given).
`;

function importOptions(v: Values): ImportOptions {
  if (v.wide && v.long) throw new UsageError('--wide and --long: choose one');
  return {
    format: v.wide ? 'wide' : v.long ? 'long' : 'auto',
    compression: compressionArg((v.compression as string | undefined) ?? 'none'),
    newTagKind: oneOf<TagKind | 'auto'>('new-tags', v['new-tags'] as string | undefined, ['auto', 'analog', 'discrete', 'text'], 'auto'),
    assumeUtc: !v['strict-time'],
  };
}

function printReport(r: ImportReport, where?: string): void {
  for (const x of r.rejections) process.stderr.write(`${formatRejection(x)}\n`);
  if (r.fileError) process.stderr.write(`${r.fileError}\n`);
  const lines = new Set(r.rejections.map((x) => x.line)).size;
  const created = r.createdTags.length ? `, ${r.createdTags.length} tags created` : '';
  process.stdout.write(`${r.file}: ${r.imported} samples imported (${r.appended} appended, ${r.inserted} late)` +
    `${created}, ${lines} lines rejected${r.fileError ? ', file rejected' : ''}${where ? ` -> ${where}` : ''}\n`);
}

export const importCommand: Command = {
  summary: 'import CSV files (long or wide format) into the archive',
  usage: `usage: npm run historian -- import <file.csv>... --data <dir> [--wide|--long]
         [--compression none|deadband:<dev>[%]|swinging-door:<dev>[%]] [--new-tags auto|analog|discrete|text]
         [--strict-time]

Good lines are imported even when others are rejected; every rejected line is
reported on stderr as file:line: field "...": expected ...; got "...".
Exit code 1 when any line or file was rejected.

${CSV_HELP}`,
  options: csvOptions,
  async run(v, files) {
    if (files.length === 0) throw new UsageError('expected at least one CSV file');
    const opts = importOptions(v);
    return withArchive(v.data as string | undefined, true, async (h) => {
      const target = historianTarget(h);
      let failed = false;
      for (const file of files) {
        const report = await importCsvFile(target, file, { ...opts, displayName: file });
        printReport(report);
        failed ||= report.fileError !== undefined || report.rejections.length > 0;
      }
      return failed ? 1 : 0;
    });
  },
};

export const watchCommand: Command = {
  summary: 'import CSV files dropped into <data>/inbox (done/ or rejected/ + report)',
  usage: `usage: npm run historian -- watch --data <dir> [--once] [--stable 2s] [--poll 1s] [import options]

Files dropped into <dir>/inbox are imported once unchanged for --stable, then moved
to inbox/done/, or to inbox/rejected/ with <name>.report.txt naming every rejected
line when any line was rejected or the file could not be read (good lines are still
imported). --once imports the files present now (no stability wait) and exits.
Import options: --wide, --long, --compression, --new-tags, --strict-time (see import --help).
`,
  options: { ...csvOptions, once: { type: 'boolean' }, stable: { type: 'string' }, poll: { type: 'string' } },
  async run(v) {
    const opts = importOptions(v);
    const stableMs = v.once ? 0 : durationArg('stable', (v.stable as string | undefined) ?? '2s');
    const pollMs = durationArg('poll', (v.poll as string | undefined) ?? '1s');
    return withArchive(v.data as string | undefined, true, async (h) => {
      const inbox = new Inbox(historianTarget(h), h.dir, {
        ...opts, stableMs, pollMs,
        onFile: (report, movedTo) => printReport(report, movedTo),
        onError: (e) => process.stderr.write(`watch: ${e.message}\n`),
      });
      if (v.once) {
        const reports = await inbox.poll();
        return reports.some((r) => r.fileError !== undefined || r.rejections.length > 0) ? 1 : 0;
      }
      process.stderr.write(`watching ${inbox.inbox} (Ctrl-C to stop)\n`);
      inbox.start();
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await inbox.stop();
      return 0;
    });
  },
};
