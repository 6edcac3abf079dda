/**
 * `npm run accounts -- change-password NAME` run as a shell runs it: a child process, the current and the
 * new password on standard input (lines 1 and 2). The current one is checked as sign-in checks it (failures
 * counted toward the same lock, kept across processes); each attempt is audited as the console's dialog is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { repoRoot } from '../../args.js';
import { AuditTrail } from '../audit/trail.js';
import { verifyPassword } from '../password.js';
import { AccountStore } from '../store.js';
import { tempDir } from '../testing/fixtures.js';
import { spawnCli } from '../testing/spawn-cli.js';
import { main as accountsMain } from './accounts.js';

let tmp: ReturnType<typeof tempDir>;
const data = () => ['--data', tmp.dir];

beforeAll(async () => {
  tmp = tempDir('vigil-own-password-');
  const base = readFileSync(join(repoRoot, 'resources', 'station.yaml'), 'utf8');
  writeFileSync(join(tmp.dir, 'station.yaml'), `${base}\naccounts:\n  minPasswordLength: 12\n  lockAfterFailures: 2\n  passwordHash: { N: 1024, r: 8, p: 1 }\n`);
  const io = { out: () => undefined, err: (s: string) => void process.stderr.write(s), stdin: Readable.from(['first password 1\n']) };
  expect(await accountsMain(['add', 'ivanova', '--role', 'operator', ...data()], io)).toBe(0);
  const io2 = { ...io, stdin: Readable.from(['first password 2\n']) };
  expect(await accountsMain(['add', 'petrov', '--role', 'supervisor', ...data()], io2)).toBe(0);
});
afterAll(() => tmp.remove());

const passwordOf = async (user: string, password: string): Promise<boolean> => {
  const store = AccountStore.open(tmp.dir);
  try {
    return await verifyPassword(password, store.require(user).password);
  } finally {
    store.close();
  }
};

const entries = (action: string) => {
  const trail = AuditTrail.open(tmp.dir);
  try {
    return trail.read(0, 10_000).filter((e) => e.action === action);
  } finally {
    trail.close();
  }
};

describe('npm run accounts -- change-password', () => {
  it('sets the new password when the current one is right, audited as the dialog is', async () => {
    const r = await spawnCli('accounts', ['change-password', 'ivanova', ...data()], 'first password 1\nsecond password 1\n');
    expect(r).toMatchObject({ code: 0, out: 'password changed for ivanova\n' });
    expect(await passwordOf('ivanova', 'second password 1')).toBe(true);
    const [entry, ...more] = entries('accounts.changeOwnPassword');
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ user: 'ivanova', role: 'operator', target: 'ivanova', result: 'ok', source: expect.stringMatching(/^cli:/) });
    expect(JSON.stringify(entries('accounts.changeOwnPassword'))).not.toMatch(/first password|second password/);
  });

  it('refuses a wrong current password, changes nothing, and counts it toward the lock across runs', async () => {
    const wrong = await spawnCli('accounts', ['change-password', 'petrov', ...data()], 'not my password\nthird password 2\n');
    expect(wrong.code).toBe(1);
    expect(wrong.err).toBe('accounts change-password: the user name or the current password is wrong\n');
    expect(await passwordOf('petrov', 'first password 2')).toBe(true);
    expect(entries('accounts.changeOwnPassword').at(-1)).toMatchObject({ user: 'petrov', target: 'petrov', result: 'refused', detail: 'wrong password (1 in a row)' });

    // The second failure (lockAfterFailures 2), in another process: the count went on, and it locks (audited).
    const second = await spawnCli('accounts', ['change-password', 'petrov', ...data()], 'still not it\nthird password 2\n');
    expect(second.code).toBe(1);
    expect(second.err).toMatch(/^accounts change-password: wrong password; account "petrov" is now locked for 15 min\n$/);
    expect(entries('accounts.locked')).toEqual([expect.objectContaining({ user: 'petrov', source: expect.stringMatching(/^cli:/) })]);

    // Locked: even the right current password is refused, and nothing changes.
    const locked = await spawnCli('accounts', ['change-password', 'petrov', ...data()], 'first password 2\nthird password 2\n');
    expect(locked.code).toBe(1);
    expect(locked.err).toMatch(/is locked for \d+ more min after failed sign-ins/);
    expect(await passwordOf('petrov', 'first password 2')).toBe(true);
  });

  it('answers a name with no account as a wrong password and never writes the name', async () => {
    const r = await spawnCli('accounts', ['change-password', 'nobody', ...data()], 'whatever it is\nfourth password x\n');
    expect(r.code).toBe(1);
    expect(r.err).toBe('accounts change-password: the user name or the current password is wrong\n');
    const last = entries('accounts.changeOwnPassword').at(-1)!;
    expect(last).toMatchObject({ result: 'refused', detail: 'no such account', user: expect.stringMatching(/^unknown account #[0-9a-f]{12}$/) });
    expect(JSON.stringify(last)).not.toContain('nobody');
  });

  it('refuses a new password that breaks a rule, or is the current one, before checking the current one', async () => {
    const short = await spawnCli('accounts', ['change-password', 'ivanova', ...data()], 'second password 1\nshort\n');
    expect(short).toMatchObject({ code: 1, err: 'accounts change-password: the password must be at least 12 characters long\n' });
    const same = await spawnCli('accounts', ['change-password', 'ivanova', ...data()], 'second password 1\nsecond password 1\n');
    expect(same).toMatchObject({ code: 1, err: 'accounts change-password: the new password is the current one: choose another\n' });
    const missing = await spawnCli('accounts', ['change-password', 'ivanova', ...data()], 'second password 1\n');
    expect(missing).toMatchObject({ code: 1, err: 'accounts change-password: standard input: line 2: expected the new password (line 1: the current password, line 2: the new one)\n' });
    expect(await passwordOf('ivanova', 'second password 1')).toBe(true);
  });
});
