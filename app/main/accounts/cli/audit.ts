/**
 * `npm run audit -- <command>`: check the audit trail's hash chain, export
 * it as CSV. Read-only: safe beside a running station.
 * Exit codes: 0 ok, 1 a broken chain or a runtime error, 2 usage error (a --data without audit.sqlite too).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { timeArg, UsageError as TimeUsageError } from '../../../../historian/cli/args.js';
import type { AuditFilter } from '../../../shared/api.js';
import { AuditTrail } from '../audit/trail.js';
import { writeAuditCsv } from '../audit/csv.js';
import { dataDirArg, existingStore, UsageError } from './context.js';
import type { CliIo } from './accounts.js';

const usage = `usage: npm run audit -- <command> --data DIR [options]

  verify             walk the hash chain; names the first broken entry (exit 1)
  export --out FILE  write entries as CSV (RFC 4180) to a new FILE (an existing one is refused, not overwritten)
                     [--from T] [--to T] [--user U] [--action A] [--result ok|refused|failed]
                     times: ISO 8601 (UTC unless an offset is given) or epoch ms; --action matches a name or its beginning

--data must hold audit.sqlite; nothing is created. Exit codes: 0 ok, 1 broken chain or runtime error, 2 usage error.
`;

export async function main(argv: string[], io: CliIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }): Promise<number> {
  const { out } = io;
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    out(usage);
    return command ? 0 : 2;
  }
  let trail: AuditTrail | null = null;
  try {
    const { values } = parseArgs({
      args: rest,
      strict: true,
      options: {
        data: { type: 'string' },
        out: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        user: { type: 'string' },
        action: { type: 'string' },
        result: { type: 'string' },
      },
    });
    if (command !== 'verify' && command !== 'export') throw new UsageError(`unknown command "${command}"`);
    const dataDir = dataDirArg(values.data);
    const file = existingStore(dataDir, 'audit.sqlite', 'audit trail');
    trail = AuditTrail.openReadOnly(dataDir);
    if (command === 'verify') {
      const report = trail.verify();
      if (!report.guarded) out(`${file}: WARNING: the triggers that make the trail append-only are missing: someone worked on the file\n`);
      if (!report.ok) {
        out(`${file}: BROKEN at entry ${report.broken.seq}: ${report.broken.reason} (${report.entries} entries before it verified)\n`);
        return 1;
      }
      out(`${file}: ${report.entries} entries, chain intact` + (report.head ? `; head: entry ${report.head.seq}, sha256 ${report.head.hash}\n` : '\n'));
      return report.guarded ? 0 : 1;
    }
    if (!values.out) throw new UsageError('export: --out FILE is required');
    const filter: AuditFilter = {};
    if (values.from !== undefined) filter.from = timeArg('from', values.from);
    if (values.to !== undefined) filter.to = timeArg('to', values.to);
    // An empty export that looks like success hides the typing mistake (the sync CLI refuses the same).
    if (filter.from !== undefined && filter.to !== undefined && !(filter.from < filter.to)) throw new UsageError(`--from must be before --to; got ${values.from} .. ${values.to}`);
    if (values.user) filter.user = values.user;
    if (values.action) filter.action = values.action;
    if (values.result) {
      if (!['ok', 'refused', 'failed'].includes(values.result)) throw new UsageError(`--result: expected ok, refused or failed; got "${values.result}"`);
      filter.result = values.result as AuditFilter['result'];
    }
    const rows = await writeAuditCsv(trail.entries(filter), resolve(values.out));
    out(`${rows} entries written to ${resolve(values.out)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof TimeUsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`audit: ${(err as Error).message}\n\n${usage}`);
      return 2;
    }
    io.err(`audit ${command}: ${(err as Error).message}\n`);
    return 1;
  } finally {
    trail?.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`audit: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
