/** `volumes` and `stats`: archive administration and figures. */
import { existsSync, rmSync } from 'node:fs';
import type { Command } from '../cli.js';
import type { Historian, VolumeInfo } from '../index.js';
import { formatTime } from '../csv/time.js';
import { intArg, UsageError } from './args.js';
import { withArchive } from './open.js';
import { warnUnreadable, withReader } from './reader.js';

const ACTIONS = ['list', 'detach', 'attach', 'export', 'import', 'retain'] as const;

/** A volume named by id or by its file name. */
function volumeArg(h: Historian, ref: string | undefined): VolumeInfo {
  if (ref === undefined) throw new UsageError('expected a volume (its id or file name; see `volumes list`)');
  const found = h.volumes().find((x) => String(x.id) === ref || x.file === ref);
  if (!found) throw new Error(`volume "${ref}": no such volume (see \`volumes list\`)`);
  return found;
}

const describe = (x: VolumeInfo, state: string = x.state): string =>
  `${String(x.id).padStart(4)}  ${x.file.padEnd(28)}  ${x.period.padEnd(5)}  ${formatTime(x.start)}  ${formatTime(x.end)}  ${state}`;

export const volumesCommand: Command = {
  summary: 'list, detach, attach, export, import volumes; apply retention',
  usage: `usage: npm run historian -- volumes --data <dir> [action] [--json]

  list                          (default) id, file, period, start, end, state; UNREADABLE and why
                                when the file is missing or damaged (--json: "unreadable")
  detach <volume>               close a past volume; reads skip it (a damaged file too: left as it is)
  attach <volume>               re-attach a detached volume
  export <volume> --out <file>  one self-contained file (data + tag versions)
  import <file>                 a file made by export: validated, copied, attached
  retain [--days N] [--keep N]  drop whole volumes older than N days / beyond the newest N
<volume> is an id or a file name from \`list\`.
`,
  options: { data: { type: 'string' }, out: { type: 'string' }, days: { type: 'string' }, keep: { type: 'string' }, json: { type: 'boolean' } },
  async run(v, positionals) {
    const [action = 'list', arg, ...extra] = positionals;
    if (!(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`expected one of ${ACTIONS.join(', ')}; got "${action}"`);
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    if (action === 'list') {
      return withReader(v.data as string | undefined, (r) => {
        const list = r.volumes();
        // Each file read (read-only): one missing or damaged is shown so, and named on stderr.
        const problems = r.checkVolumes(list);
        const reasonOf = (x: VolumeInfo) => problems.find((p) => p.volume === x.file)?.reason;
        const rows = list.map((x) => ({ ...x, ...(reasonOf(x) ? { unreadable: reasonOf(x) } : {}) }));
        process.stdout.write(v.json ? `${JSON.stringify(rows)}\n`
          : rows.map((x) => describe(x) + (x.unreadable ? `  UNREADABLE: ${x.unreadable}` : '')).join('\n') + (list.length ? '\n' : ''));
        warnUnreadable('historian volumes', problems);
        return 0;
      });
    }
    return withArchive(v.data as string | undefined, action === 'import', async (h) => {
      const show = (list: VolumeInfo[]) =>
        process.stdout.write(v.json ? `${JSON.stringify(list)}\n` : list.map((x) => describe(x)).join('\n') + (list.length ? '\n' : ''));
      switch (action) {
        case 'detach':
          show([h.detachVolume(volumeArg(h, arg).id)]);
          break;
        case 'attach':
          show([h.attachVolume(volumeArg(h, arg).id)]);
          break;
        case 'export': {
          const out = v.out as string | undefined;
          if (out === undefined) throw new UsageError('export: --out <file> required');
          const vol = volumeArg(h, arg);
          const taken = existsSync(out); // refused by exportVolume, and never removed here
          try {
            h.exportVolume(vol.id, out);
          } catch (e) {
            if (taken) throw e;
            // a full disk: SQLite leaves the copy it began, and its journal
            for (const f of ['', '-journal', '-wal', '-shm']) rmSync(`${out}${f}`, { force: true });

            throw new Error(`${out}: not written: ${(e as Error).message}; nothing of it is left (export the volume again once the cause is fixed)`);
          }
          process.stderr.write(`volume ${vol.file} exported to ${out}\n`);
          break;
        }
        case 'import':
          if (arg === undefined) throw new UsageError('import: expected the exported volume file');
          show([h.importVolume(arg)]);
          break;
        case 'retain': {
          if (v.days === undefined && v.keep === undefined) throw new UsageError('retain: --days N and/or --keep N required');
          const policy = {
            maxAgeDays: v.days === undefined ? undefined : intArg('days', v.days as string, 0, 0),
            maxVolumes: v.keep === undefined ? undefined : intArg('keep', v.keep as string, 0, 0),
          };
          // Said as what it did, not as a list: the rows are files just deleted.
          const dropped = h.applyRetention(policy);
          process.stdout.write(v.json ? `${JSON.stringify(dropped.map((x) => ({ ...x, state: 'dropped' })))}\n`
            : dropped.map((x) => describe(x, 'dropped (file deleted)')).join('\n') + (dropped.length ? '\n' : ''));
          process.stderr.write(`historian volumes retain: ${dropped.length === 0 ? 'no volume to drop' : `${dropped.length} volume${dropped.length === 1 ? '' : 's'} dropped, their files deleted`}\n`);
          break;
        }
      }
      return 0;
    });
  },
};

export const statsCommand: Command = {
  summary: 'archive figures: samples received/archived, bytes on disk (--json: one object)',
  usage: `usage: npm run historian -- stats --data <dir> [--json] [--tags]

--json prints ONE JSON object: samplesReceived, samplesArchived, bytesOnDisk,
bytesPerReceivedSample, tags, volumes (and perTag with --tags).
`,
  options: { data: { type: 'string' }, json: { type: 'boolean' }, tags: { type: 'boolean' } },
  async run(v) {
    return withReader(v.data as string | undefined, (h) => {
      const s = h.stats();
      const perTag = v.tags ? h.tagStats() : undefined;
      if (v.json) {
        process.stdout.write(`${JSON.stringify(perTag ? { ...s, perTag } : s)}\n`);
        return 0;
      }
      const lines = Object.entries(s).map(([k, x]) => `${k.padEnd(24)} ${typeof x === 'number' && !Number.isInteger(x) ? x.toFixed(3) : String(x)}`);
      for (const t of perTag ?? []) {
        lines.push(`${t.name}  ${t.kind}  received ${t.samplesReceived}  archived ${t.samplesArchived}  ratio ${t.compressionRatio?.toFixed(2) ?? '-'}`);
      }
      process.stdout.write(lines.join('\n') + '\n');
      return 0;
    });
  },
};
