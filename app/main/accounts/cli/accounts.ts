/**
 * `npm run accounts -- <command>`: accounts from a shell, beside a running
 * station or without one. The password is read from the terminal without
 * echo, or from the first line of standard input when it is not a terminal.
 * Every change is written to the audit trail with the shell user as source.
 * Exit codes: 0 ok, 1 refused or failed, 2 usage error.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { accountUserName, accountDisplayName } from '../../../shared/api/accounts.js';
import { roles as allRoles, type Role } from '../../../shared/permissions.js';
import { StartRefusal } from '../../start-refusal.js';
import { ConfigError } from '../../station/config-file.js';
import { ownFilesOnly, secureDataDir, type DataDirReport } from '../../station/data-dir.js';
import { AuditTrail } from '../audit/trail.js';
import { hashPassword, passwordProblem } from '../password.js';
import { StoreFileError } from '../sqlite.js';
import { AccountConflict, AccountNotFound, AccountStore } from '../store.js';
import { accountsConfigFor, cliSource, dataDirArg, existingStore, UsageError } from './context.js';
import { InputError, readNewPassword } from './password-input.js';
import { SignInRefused } from '../sign-in.js';
import { changeOwnPassword } from './change-password.js';

const usage = `usage: npm run accounts -- <command> [options] --data DIR

  add NAME --role ROLE [--role ROLE ...] [--display-name "Full Name"]
                     create an account; roles: ${allRoles.join(', ')} (or --role a,b)
  passwd NAME        set a new password (also clears a lock after failed sign-ins; its sessions end);
                     no current password asked: access to --data is the recovery path, any account's
  change-password NAME
                     a user changes their own password: the current one is checked as at sign-in
                     (its delays, failures counted toward the same lock), then the new one is set
                     (every session of the account ends)
  disable NAME       disable an account (its sessions end)
  enable NAME        enable it again
  list [--json]      list accounts

options:
  --data DIR         the station's data directory (accounts.sqlite, audit.sqlite); only add creates
                     a new one (the first administrator; 0700, its files 0600, as the station makes it),
                     the other commands refuse a DIR without accounts.sqlite
  --config FILE      station config whose "accounts" block applies (default <data>/station.yaml if present)

The password is read from the terminal without echo (asked twice), or from the first line of
standard input when it is not a terminal:  printf '%s\\n' "$PW" | npm run accounts -- add ...
change-password asks for the current password, then the new one twice; from a pipe, line 1 is the
current password and line 2 the new one.
Nothing is ever created with a default password. Exit codes: 0 ok, 1 refused or failed, 2 usage error.
`;

function rolesArg(raw: string[] | undefined): Role[] {
  const list = (raw ?? []).flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean);
  if (list.length === 0) throw new UsageError(`--role: required (one or more of ${allRoles.join(', ')})`);
  for (const r of list) if (!(allRoles as readonly string[]).includes(r)) throw new UsageError(`--role: expected one of ${allRoles.join(', ')}; got "${r}"`);
  return allRoles.filter((r) => list.includes(r));
}

function displayArg(raw: string): string {
  const display = accountDisplayName.safeParse(raw);
  if (!display.success) throw new UsageError(`--display-name: ${display.error.issues[0]!.message}`);
  return display.data;
}

function nameArg(positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError(`expected one user name, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
  const parsed = accountUserName.safeParse(positionals[0]);
  if (!parsed.success) throw new UsageError(`user name "${positionals[0]}": ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Where the password comes from; the process's standard input by default. */
  stdin?: Readable;
}

const processIo: CliIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const { out } = io;
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    out(usage);
    return command ? 0 : 2;
  }
  let store: AccountStore | null = null;
  let trail: AuditTrail | null = null;
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        data: { type: 'string' },
        config: { type: 'string' },
        role: { type: 'string', multiple: true },
        'display-name': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    if (!['add', 'passwd', 'change-password', 'disable', 'enable', 'list'].includes(command)) throw new UsageError(`unknown command "${command}"`);
    const dataDir = dataDirArg(values.data);
    if (command === 'list' && positionals.length) throw new UsageError('list takes no user name');
    const user = command === 'list' ? '' : nameArg(positionals);
    // Every usage error before anything is opened: a mistake creates nothing.
    if (command !== 'add') existingStore(dataDir, 'accounts.sqlite', 'accounts', ' (the first account is made with: add NAME --role administrator --data DIR)');
    const cfg = accountsConfigFor(dataDir, values.config);
    const roles = command === 'add' ? rolesArg(values.role) : [];
    const displayName = command === 'add' ? displayArg(values['display-name'] ?? user) : '';
    // Files 0600 and the directory 0700, as the station makes them. A --data that is a file (or has one
    // on its path) is refused, and an emptied store too, before a password is asked; nothing is created yet.
    ownFilesOnly();
    const warn = warnings(io);
    if (!absent(dataDir)) secureDataDir(dataDir, warn);
    if (existsSync(join(dataDir, 'accounts.sqlite'))) store = AccountStore.open(dataDir);
    const source = cliSource();
    const now = Date.now();
    const audit = (action: string, target: string, extra: { oldValue?: unknown; newValue?: unknown; detail?: string } = {}) =>
      trail!.record({ user: null, role: null, action, target, result: 'ok', source, ...extra });

    if (command === 'list') {
      const list = store!.list().map((a) => ({ user: a.user, displayName: a.displayName, roles: a.roles, disabled: a.disabled !== null, locked: a.lockedUntil !== null && a.lockedUntil > now }));
      if (values.json) out(`${JSON.stringify(list)}\n`);
      else for (const a of list) out(`${a.user.padEnd(16)} ${a.roles.join(',').padEnd(28)} ${a.disabled ? 'disabled' : a.locked ? 'locked' : 'active  '} ${a.displayName}\n`);
      return 0;
    }
    // The commands that change an account write the trail.
    if (existsSync(join(dataDir, 'audit.sqlite'))) trail = AuditTrail.open(dataDir);
    if (command === 'add') {
      if (store?.get(user)) throw new AccountConflict(`an account "${user}" exists already`, 'accounts.exists');
      const hash = await newPassword(user, cfg, io.stdin); // a refused password leaves nothing behind
      secureDataDir(dataDir, warn); // the first account may come before the station ever ran here
      store ??= AccountStore.open(dataDir);
      trail ??= AuditTrail.open(dataDir);
      store.insert({ user, displayName, roles, password: hash }, now);
      audit('accounts.create', user, { newValue: { displayName, roles } });
      out(`created ${user} (${roles.join(', ')})\n`);
      return 0;
    }
    const accounts = store!; // not add: existingStore made sure the file is there
    trail ??= AuditTrail.open(dataDir);
    if (command === 'passwd') {
      accounts.require(user);
      accounts.setPassword(user, await newPassword(user, cfg, io.stdin), now);
      audit('accounts.resetPassword', user, { detail: 'new password set; failed sign-ins and any lock cleared' });
      out(`new password set for ${user}\n`);
    } else if (command === 'change-password') {
      return await changeOwnPassword(user, { store: accounts, trail, cfg, source, io });
    } else {
      const before = accounts.require(user);
      const after = accounts.setDisabled(user, command === 'disable', now);
      audit(`accounts.${command}`, user, { oldValue: { disabled: before.disabled !== null }, newValue: { disabled: after.disabled !== null } });
      out(`${user} ${command}d\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`accounts: ${(err as Error).message}\n\n${usage}`);
      return 2;
    }
    if (err instanceof AccountConflict || err instanceof AccountNotFound || err instanceof InputError || err instanceof ConfigError || err instanceof StartRefusal || err instanceof StoreFileError || err instanceof SignInRefused) {
      io.err(`accounts ${command}: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    store?.close();
    trail?.close();
  }
}

/** Nothing at the path: add makes it. Anything else (a file on the way too) is secureDataDir's to judge. */
function absent(path: string): boolean {
  try {
    statSync(path);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/** secureDataDir's warning as one plain line on stderr (the station logs it as JSON). */
function warnings(io: CliIo): DataDirReport {
  return { warn: ({ dir }, text) => io.err(`accounts: ${dir}: ${text}\n`) };
}

async function newPassword(user: string, cfg: ReturnType<typeof accountsConfigFor>, stdin?: Readable) {
  const password = await readNewPassword(user, stdin);
  const problem = passwordProblem(password, { minLength: cfg.minPasswordLength, user });
  if (problem) throw new InputError(problem.message);
  return hashPassword(password, cfg.passwordHash);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`accounts: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
