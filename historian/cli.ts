/**
 * The historian's command line: `npm run historian -- <command> [options]`.
 * Exit codes: 0 ok, 1 runtime or data error (incl. rejected CSV lines), 2 usage error.
 * Data goes to stdout; errors and rejected lines to stderr, naming file, line and field.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { joinDashValues, UsageError } from './cli/args.js';
import { Stdout } from './cli/stdout.js';
import { importCommand, watchCommand } from './cli/import.js';
import { exportCommand } from './cli/export.js';
import { queryCommand } from './cli/query.js';
import { statsCommand, volumesCommand } from './cli/admin.js';
import { workInInvokingFolder } from './cli/invoked-from.js';

export interface Command {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(values: Record<string, string | boolean | string[] | undefined>, positionals: string[]): Promise<number>;
}

const commands: Record<string, Command> = {
  import: importCommand,
  export: exportCommand,
  query: queryCommand,
  volumes: volumesCommand,
  stats: statsCommand,
  watch: watchCommand,
};

function mainHelp(): string {
  const list = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`);
  return ['usage: npm run historian -- <command> [options]', '', 'commands:', ...list, '',
    'Run `npm run historian -- <command> --help` for a command\'s options.',
    'Exit codes: 0 ok, 1 runtime or data error, 2 usage error.',
    'export, query, stats and `volumes list` only read: safe beside a running station. import, watch and',
    'the other volume actions open the archive for writing: give them an archive no station is writing.', ''].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const stdout = new Stdout(name === undefined || commands[name] === undefined ? 'historian' : `historian ${name}`);
  return stdout.finish(await run(stdout, name, rest));
}

async function run(stdout: Stdout, name: string | undefined, rest: string[]): Promise<number> {
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainHelp());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    process.stderr.write(`historian: unknown command "${name}"\n\n${mainHelp()}`);
    return 2;
  }
  let parsed;
  try {
    const options = { ...command.options, help: { type: 'boolean', short: 'h' } } as const;
    parsed = parseArgs({ args: joinDashValues(rest, options), options, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`historian ${name}: ${(e as Error).message}\n\n${command.usage}`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(command.usage);
    return 0;
  }
  try {
    return await command.run(parsed.values, parsed.positionals);
  } catch (e) {
    if (stdout.readerGone(e)) return 0; // `export | head`: the reader took what it wanted (cli/stdout.ts)
    if (stdout.isFailure(e)) return 1; // said once, by finish
    if (e instanceof UsageError) {
      process.stderr.write(`historian ${name}: ${e.message}\n\n${command.usage}`);
      return 2;
    }
    process.stderr.write(`historian ${name}: ${(e as Error).message}\n`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  workInInvokingFolder(); // relative paths from where `npm run historian` was typed
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`historian: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
