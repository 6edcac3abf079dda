/**
 * What the CLIs refuse, run as a shell runs them: a file they would destroy, a data directory that
 * is a file or others could read, an emptied store, a refused password. One line each, no stack
 * trace, and nothing on disk changed or created.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../args.js';
import { requests } from '../../../shared/api.js';
import { tempDir } from '../testing/fixtures.js';
import { spawnCli } from '../testing/spawn-cli.js';

let tmp: ReturnType<typeof tempDir>;
let config: string;
let umask: number;
const modeOf = (p: string) => statSync(p).mode & 0o777;
const pw = 'Correct-Horse-9-long\n';

/** A data directory with one account (and so an audit trail). */
async function station(name: string): Promise<string> {
  const dir = join(tmp.dir, name);
  const r = await spawnCli('accounts', ['add', 'admin', '--role', 'administrator', '--data', dir, '--config', config], pw);
  expect(r.code).toBe(0);
  return dir;
}

beforeAll(() => {
  umask = process.umask(0o022); // the usual shell umask: files 0644 unless the CLI closes them
  tmp = tempDir('vigil-cli-refusals-');
  config = join(tmp.dir, 'station.yaml');
  const base = readFileSync(join(repoRoot, 'resources', 'station.yaml'), 'utf8');
  writeFileSync(config, `${base}\naccounts:\n  minPasswordLength: 12\n  passwordHash: { N: 1024, r: 8, p: 1 }\n`);
});
afterAll(() => {
  process.umask(umask);
  tmp.remove();
});

describe('npm run audit -- export --out', () => {
  it('refuses a file that exists, the trail itself included, and leaves it as it was', async () => {
    const dir = await station('export-exists');
    const trail = join(dir, 'audit.sqlite');
    const other = join(tmp.dir, 'kept.csv');
    writeFileSync(other, 'keep me\n');
    for (const file of [trail, other]) {
      const before = readFileSync(file);
      const r = await spawnCli('audit', ['export', '--data', dir, '--out', file]);
      expect(r).toEqual({ code: 1, out: '', err: `audit export: ${file}: already exists (not overwritten)\n` });
      expect(readFileSync(file).equals(before)).toBe(true);
    }
    expect((await spawnCli('audit', ['verify', '--data', dir])).code).toBe(0);
  });

  it('names a missing folder in one line and creates nothing', async () => {
    const dir = await station('export-nodir');
    const file = join(tmp.dir, 'nodir', 'x.csv');
    const r = await spawnCli('audit', ['export', '--data', dir, '--out', file]);
    expect(r).toEqual({ code: 1, out: '', err: `audit export: ${file}: cannot be created: no folder ${join(tmp.dir, 'nodir')}\n` });
    expect(existsSync(join(tmp.dir, 'nodir'))).toBe(false);
  });
});

describe('npm run accounts -- --data', () => {
  it('creates a new data directory 0700 and its files 0600, as the station does', async () => {
    const dir = await station('fresh');
    expect(modeOf(dir)).toBe(0o700);
    expect(readdirSync(dir).sort()).toEqual(['accounts.sqlite', 'audit.sqlite']);
    for (const f of readdirSync(dir)) expect([f, modeOf(join(dir, f))]).toEqual([f, 0o600]);
  });

  it('closes an existing data directory others could read, and says so', async () => {
    const dir = await station('opened');
    chmodSync(dir, 0o755);
    const r = await spawnCli('accounts', ['list', '--data', dir]);
    expect(r.code).toBe(0);
    expect(r.err).toBe(`accounts: ${dir}: the data directory was open to other users: closed to them\n`);
    expect(modeOf(dir)).toBe(0o700);
  });

  it('refuses a file, or a file on its path, in one line, before asking for a password', async () => {
    const file = join(tmp.dir, 'somefile');
    writeFileSync(file, 'not a directory\n');
    const r = await spawnCli('accounts', ['add', 'bob', '--role', 'operator', '--data', file, '--config', config], '');
    expect(r).toEqual({ code: 1, out: '', err: `accounts add: data directory ${file}: expected a directory, found a file (give a directory with --data DIR)\n` });
    const under = join(file, 'sub');
    const u = await spawnCli('accounts', ['add', 'bob', '--role', 'operator', '--data', under, '--config', config], '');
    expect(u).toEqual({ code: 1, out: '', err: `accounts add: data directory ${under}: a file is on its path where a directory should be (give a directory with --data DIR)\n` });
    expect(readFileSync(file, 'utf8')).toBe('not a directory\n');
  });

  it('validates the password before it creates anything', async () => {
    const dir = join(tmp.dir, 'refused-pw');
    const r = await spawnCli('accounts', ['add', 'admin', '--role', 'administrator', '--data', dir, '--config', config], 'too short\n');
    expect(r).toEqual({ code: 1, out: '', err: 'accounts add: the password must be at least 12 characters long\n' });
    expect(existsSync(dir)).toBe(false);
    mkdirSync(dir);
    expect((await spawnCli('accounts', ['add', 'admin', '--role', 'administrator', '--data', dir, '--config', config], 'too short\n')).code).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a password longer than the console\'s sign-in takes, which could never sign in', async () => {
    // The console's sign-in request refuses more than 1024 characters (shared/api/accounts.ts, accountPassword).
    const tooLong = 'Correct-horse-7-'.repeat(69).slice(0, 1100);
    expect(requests['session.signIn'].params.safeParse({ user: 'admin', password: tooLong }).success).toBe(false);
    const dir = join(tmp.dir, 'long-pw');
    const r = await spawnCli('accounts', ['add', 'admin', '--role', 'administrator', '--data', dir, '--config', config], `${tooLong}\n`);
    expect(r).toEqual({ code: 1, out: '', err: 'accounts add: the password must be at most 1024 characters long\n' });
    expect(existsSync(dir)).toBe(false);
    // The longest the sign-in takes is taken.
    const longest = tooLong.slice(0, 1024);
    expect(requests['session.signIn'].params.safeParse({ user: 'admin', password: longest }).success).toBe(true);
    expect((await spawnCli('accounts', ['add', 'admin', '--role', 'administrator', '--data', dir, '--config', config], `${longest}\n`)).code).toBe(0);
  });
});

describe('an emptied accounts.sqlite or audit.sqlite', () => {
  const empty = (file: string, holds: string) => `${file}: the file is empty (0 bytes); it held ${holds}. Restore it from a backup, or, to start ${holds} anew, remove it`;

  it('accounts list and add say the message alone (no stack trace) and leave the file at 0 bytes', async () => {
    const dir = await station('emptied-accounts');
    const file = join(dir, 'accounts.sqlite');
    writeFileSync(file, '');
    const list = await spawnCli('accounts', ['list', '--data', dir]);
    expect(list).toEqual({ code: 1, out: '', err: `accounts list: ${empty(file, 'the accounts')}\n` });
    const add = await spawnCli('accounts', ['add', 'bob', '--role', 'operator', '--data', dir, '--config', config], pw);
    expect(add).toEqual({ code: 1, out: '', err: `accounts add: ${empty(file, 'the accounts')}\n` });
    expect(statSync(file).size).toBe(0);
  });

  it('accounts add and audit verify name the emptied trail and say what is wrong', async () => {
    const dir = await station('emptied-trail');
    const file = join(dir, 'audit.sqlite');
    writeFileSync(file, '');
    const add = await spawnCli('accounts', ['add', 'bob', '--role', 'operator', '--data', dir, '--config', config], pw);
    expect(add).toEqual({ code: 1, out: '', err: `accounts add: ${empty(file, 'the audit trail')}\n` });
    const verify = await spawnCli('audit', ['verify', '--data', dir]);
    expect(verify).toEqual({ code: 1, out: '', err: `audit verify: ${empty(file, 'the audit trail')}\n` });
    expect(statSync(file).size).toBe(0);
    expect(JSON.parse((await spawnCli('accounts', ['list', '--json', '--data', dir])).out).map((a: { user: string }) => a.user)).toEqual(['admin']);
  });
});
