/**
 * The accounts and audit CLIs on real files in a temp data directory. The
 * first and the last test run them as a shell does (child processes, the
 * password piped to standard input, exit codes); the others call the same
 * main() in this process with the password on a stream, which is quicker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { repoRoot } from '../../args.js';
import { verifyPassword } from '../password.js';
import { AccountStore } from '../store.js';
import { tempDir } from '../testing/fixtures.js';
import { spawnCli } from '../testing/spawn-cli.js';
import { main as accountsMain } from './accounts.js';
import { main as auditMain } from './audit.js';
import { readCsvRows } from '../testing/csv-read.js';

let tmp: ReturnType<typeof tempDir>;

beforeAll(() => {
  tmp = tempDir('vigil-cli-');
  // The data directory's own station.yaml applies: cheap hashes, a longer minimum.
  const base = readFileSync(join(repoRoot, 'resources', 'station.yaml'), 'utf8');
  writeFileSync(join(tmp.dir, 'station.yaml'), `${base}\naccounts:\n  minPasswordLength: 12\n  passwordHash: { N: 1024, r: 8, p: 1 }\n`);
});
afterAll(() => tmp.remove());

type Run = (cli: 'accounts' | 'audit', args: string[], stdin?: string) => Promise<{ code: number; out: string; err: string }>;

/** In this process: main() with its output collected and stdin a stream. */
const run: Run = async (cli, args, stdin = '') => {
  let out = '';
  let err = '';
  const io = { out: (s: string) => void (out += s), err: (s: string) => void (err += s), stdin: Readable.from(stdin ? [stdin] : []) };
  const code = await (cli === 'accounts' ? accountsMain : auditMain)(args, io);
  return { code, out, err };
};

const data = () => ['--data', tmp.dir];

describe('npm run accounts', () => {
  it('adds an account with the password from standard input, hashed with the configured costs', async () => {
    const r = await spawnCli('accounts', ['add', 'ivanova', '--role', 'operator', '--role', 'supervisor', '--display-name', 'A. Ivanova', ...data()], 'shift four password\nignored second line\n');
    expect(r).toMatchObject({ code: 0, out: 'created ivanova (operator, supervisor)\n' });
    const store = AccountStore.open(tmp.dir);
    const a = store.get('ivanova')!;
    store.close();
    expect([a.displayName, a.roles, a.password.N]).toEqual(['A. Ivanova', ['operator', 'supervisor'], 1024]);
    expect(await verifyPassword('shift four password', a.password)).toBe(true);
  });

  it('creates the data directory for the first account, before the station ever ran there', async () => {
    const fresh = join(tmp.dir, 'fresh', 'data');
    const r = await run('accounts', ['add', 'admin', '--role', 'administrator', '--data', fresh], 'first site passphrase\n');
    expect(r).toMatchObject({ code: 0, out: 'created admin (administrator)\n' });
    const store = AccountStore.open(fresh);
    expect(store.count()).toBe(1);
    store.close();
  });

  it('refuses a short password with the rule, a duplicate, a bad role, and no password at all', async () => {
    const short = await run('accounts', ['add', 'petrov', '--role', 'engineer', ...data()], 'eleven char\n');
    expect([short.code, short.err]).toEqual([1, 'accounts add: the password must be at least 12 characters long\n']);
    const dup = await run('accounts', ['add', 'ivanova', '--role', 'engineer', ...data()], 'another long password\n');
    expect([dup.code, dup.err]).toEqual([1, 'accounts add: an account "ivanova" exists already\n']);
    const role = await run('accounts', ['add', 'petrov', '--role', 'boss', ...data()], 'another long password\n');
    expect(role.code).toBe(2);
    expect(role.err).toContain('--role: expected one of operator, supervisor, engineer, administrator; got "boss"');
    const none = await run('accounts', ['add', 'petrov', '--role', 'engineer', ...data()], '');
    expect([none.code, none.err]).toEqual([1, 'accounts add: no password on standard input (give it as the first line)\n']);
    const list = await run('accounts', ['list', '--json', ...data()]);
    expect(JSON.parse(list.out).map((a: { user: string }) => a.user)).toEqual(['ivanova']);
  });

  it('sets a new password, disables and enables, and lists', async () => {
    expect((await run('accounts', ['passwd', 'ivanova', ...data()], 'night shift password\n')).code).toBe(0);
    expect((await run('accounts', ['disable', 'ivanova', ...data()])).out).toBe('ivanova disabled\n');
    const listed = JSON.parse((await run('accounts', ['list', '--json', ...data()])).out);
    expect(listed).toEqual([{ user: 'ivanova', displayName: 'A. Ivanova', roles: ['operator', 'supervisor'], disabled: true, locked: false }]);
    expect((await run('accounts', ['enable', 'ivanova', ...data()])).code).toBe(0);
    const store = AccountStore.open(tmp.dir);
    expect(await verifyPassword('night shift password', store.get('ivanova')!.password)).toBe(true);
    store.close();
    expect((await run('accounts', ['passwd', 'ghost', ...data()], 'whatever long one\n')).err).toBe('accounts passwd: no account "ghost"\n');
  });

  it('list, passwd, disable and enable refuse a mistyped data directory as a usage error and create nothing there', async () => {
    const typo = join(tmp.dir, 'tyop');
    for (const args of [['list'], ['list', '--json'], ['passwd', 'ivanova'], ['disable', 'ivanova'], ['enable', 'ivanova']]) {
      const r = await run('accounts', [...args, '--data', typo], 'night shift password\n');
      expect([args, r.code, r.out]).toEqual([args, 2, '']);
      expect(r.err).toContain(typo);
      expect(r.err).toContain('no such directory');
      expect(r.err).toContain('accounts.sqlite');
      expect(r.err).toContain('usage: npm run accounts');
      expect(existsSync(typo)).toBe(false);
    }
  });

  it('list refuses a directory that holds no accounts file, and leaves it as it was', async () => {
    const empty = join(tmp.dir, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'notes.txt'), 'not station data\n');
    const r = await run('accounts', ['list', '--data', empty]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${empty}: no accounts there (no accounts.sqlite)`);
    expect(readdirSync(empty)).toEqual(['notes.txt']);
  });

  it('add with a bad user name creates no data directory', async () => {
    const fresh = join(tmp.dir, 'fresh-bad-name');
    const r = await run('accounts', ['add', 'X', '--role', 'administrator', '--data', fresh], 'first site passphrase\n');
    expect(r.code).toBe(2);
    expect(existsSync(fresh)).toBe(false);
  });
});

describe('npm run audit', () => {
  it('verifies the chain the CLI changes left, and exports it as RFC 4180 CSV', async () => {
    await run('accounts', ['add', 'mallory', '--role', 'operator', '--display-name', '=HYPERLINK("http://x")', ...data()], 'a perfectly long pw\n');
    const ok = await run('audit', ['verify', ...data()]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/: 5 entries, chain intact; head: entry 5, sha256 [0-9a-f]{64}\n$/);
    const file = join(tmp.dir, 'trail.csv');
    const exp = await run('audit', ['export', ...data(), '--action', 'accounts.create', '--out', file]);
    expect(exp).toMatchObject({ code: 0, out: `2 entries written to ${file}\n` });
    const text = readFileSync(file, 'utf8');
    // A UTF-8 BOM first (for Excel), then the column names.
    expect(text.split('\r\n')[0]).toBe('\uFEFFseq,time,user,role,action,target,old_value,new_value,comment,result,detail,source,hash');
    const rows = readCsvRows(text);
    expect(rows.map((r) => [r.seq, r.action, r.target, r.result])).toEqual([['1', 'accounts.create', 'ivanova', 'ok'], ['5', 'accounts.create', 'mallory', 'ok']]);
    expect(rows[0].source).toMatch(/^cli:/);
    expect(rows[0].time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)$/);
    expect(rows[1].new_value).toBe('{"displayName":"=HYPERLINK(\\"http://x\\")","roles":["operator"]}');
    expect(text).not.toContain('night shift password');
  });

  it('names the first broken entry and exits 1', async () => {
    const db = new Database(join(tmp.dir, 'audit.sqlite'));
    db.exec('DROP TRIGGER audit_no_update');
    db.prepare("UPDATE audit SET target = 'someone-else' WHERE seq = 2").run();
    db.close();
    const broken = await spawnCli('audit', ['verify', ...data()]);
    expect(broken.code).toBe(1);
    expect(broken.out).toContain('BROKEN at entry 2: its content does not match its hash: the entry was changed (1 entries before it verified)');
    expect(broken.out).toContain('WARNING: the triggers that make the trail append-only are missing');
  });

  it('export: --from not before --to is a usage error, not an empty file', async () => {
    const r = await run('audit', ['export', ...data(), '--from', '2026-12-03T10:00Z', '--to', '2026-12-02T10:00Z', '--out', join(tmp.dir, 'x.csv')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--from must be before --to');
  });

  it('is a usage error without --data, and where there is no trail: a missing directory or one without audit.sqlite; nothing is created', async () => {
    expect((await run('audit', ['verify'])).code).toBe(2);
    const nowhere = join(tmp.dir, 'nowhere');
    const out = join(tmp.dir, 'nowhere.csv');
    for (const args of [['verify'], ['export', '--out', out]]) {
      const r = await run('audit', [...args, '--data', nowhere]);
      expect([args, r.code, r.out]).toEqual([args, 2, '']);
      expect(r.err).toContain(`audit: --data ${nowhere}: no such directory`);
      expect(r.err).toContain('audit.sqlite');
      expect(r.err).toContain('usage: npm run audit');
    }
    expect([existsSync(nowhere), existsSync(out)]).toEqual([false, false]);
    const empty = join(tmp.dir, 'no-trail');
    mkdirSync(empty);
    const none = await run('audit', ['verify', '--data', empty]);
    expect(none.code).toBe(2);
    expect(none.err).toContain(`audit: --data ${empty}: no audit trail there (no audit.sqlite)`);
    expect(readdirSync(empty)).toEqual([]);
  });
});
