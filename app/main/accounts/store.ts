/**
 * The accounts file, <data>/accounts.sqlite: one row per user with the
 * password hash and its costs, the roles, and the failed-sign-in count and
 * lock shown on the Accounts page; and the failed sign-ins and locks per
 * account and source that sign-in counts (kept across restarts). Every call reads the file, nothing is cached, so an account added
 * from the shell while the station runs is seen at once.
 */
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { roles as allRoles, type Role } from '../../shared/permissions.js';
import type { AccountInfo } from '../../shared/api.js';
import type { PasswordHash } from './password.js';
import { closeStore, openStore, type Db } from './sqlite.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS accounts (
  name TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  roles TEXT NOT NULL,
  scrypt_n INTEGER NOT NULL,
  scrypt_r INTEGER NOT NULL,
  scrypt_p INTEGER NOT NULL,
  salt BLOB NOT NULL,
  hash BLOB NOT NULL,
  created INTEGER NOT NULL,
  changed INTEGER NOT NULL,
  password_changed INTEGER NOT NULL,
  disabled INTEGER,
  failures INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER
) STRICT;
-- Failed sign-ins and locks per account and source, kept across restarts (sign-in.ts). Created beside
-- the accounts table of a file from before it (IF NOT EXISTS): such a file opens as it was.
CREATE TABLE IF NOT EXISTS sign_in_failures (
  name TEXT NOT NULL,
  source TEXT NOT NULL,
  failures INTEGER NOT NULL,
  since INTEGER NOT NULL,
  locked_until INTEGER,
  password_changed INTEGER,
  PRIMARY KEY (name, source)
) STRICT;
`;

/** Rows of sign_in_failures kept at most: beyond, the oldest not locked go (a flood of sources cannot grow the file without end). */
export const MAX_FAILURE_ROWS = 10_000;

/** Failed sign-ins counted for an account from one source, and its lock there. */
export interface StoredFailures {
  failures: number;
  /** When the first failure counted now came. */
  since: number;
  lockedUntil: number | null;
  /** The account's password time when counted: a new password ends the count and the lock. */
  passwordChanged: number | null;
}

export interface Account extends AccountInfo {
  password: PasswordHash;
  passwordChanged: number;
}

interface Row {
  name: string;
  display_name: string;
  roles: string;
  scrypt_n: number;
  scrypt_r: number;
  scrypt_p: number;
  salt: Buffer;
  hash: Buffer;
  created: number;
  changed: number;
  password_changed: number;
  disabled: number | null;
  failures: number;
  locked_until: number | null;
}

/** A change that breaks a rule of the store (a duplicate name, the last administrator). */
export class AccountConflict extends Error {
  constructor(
    message: string,
    readonly key: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

export class AccountNotFound extends Error {
  constructor(readonly user: string) {
    super(`no account "${user}"`);
  }
}

/** What a running session is checked against at each request (sessions.ts). */
export interface AccountStanding {
  displayName: string;
  /** The roles as stored (JSON text). */
  roles: string;
  disabled: number | null;
  /** Grows with every password change (see setPassword). */
  passwordChanged: number;
}

export class AccountStore {
  private standingQuery: Database.Statement<[string], { display_name: string; roles: string; disabled: number | null; password_changed: number }> | null = null;

  private constructor(
    private readonly db: Db,
    readonly file: string,
  ) {}

  static open(dataDir: string): AccountStore {
    const file = join(dataDir, 'accounts.sqlite');
    return new AccountStore(openStore(file, SCHEMA, 'the accounts'), file);
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM accounts').get() as { n: number }).n;
  }

  get(name: string): Account | null {
    const row = this.db.prepare('SELECT * FROM accounts WHERE name = ?').get(name) as Row | undefined;
    return row ? toAccount(row, this.file) : null;
  }

  /**
   * The little a session is checked against on every request: one lookup by the primary key,
   * read from the file each time, so a change from the CLI (another process) counts at once.
   */
  standing(name: string): AccountStanding | null {
    this.standingQuery ??= this.db.prepare('SELECT display_name, roles, disabled, password_changed FROM accounts WHERE name = ?');
    const row = this.standingQuery.get(name);
    return row ? { displayName: row.display_name, roles: row.roles, disabled: row.disabled, passwordChanged: row.password_changed } : null;
  }

  require(name: string): Account {
    const account = this.get(name);
    if (!account) throw new AccountNotFound(name);
    return account;
  }

  list(): Account[] {
    return (this.db.prepare('SELECT * FROM accounts ORDER BY name').all() as Row[]).map((r) => toAccount(r, this.file));
  }

  /** Adds an account; `onlyIfNone` makes it the first administrator, refused once any account exists (atomic against a CLI beside the station). */
  insert(a: { user: string; displayName: string; roles: readonly Role[]; password: PasswordHash }, now: number, onlyIfNone = false): Account {
    this.db
      .transaction(() => {
        if (onlyIfNone && this.count() > 0) throw new AccountConflict('accounts exist already: sign in instead', 'accounts.setup.exists');
        if (this.get(a.user)) throw new AccountConflict(`an account "${a.user}" exists already`, 'accounts.exists', { user: a.user });
        this.db
          .prepare(
            `INSERT INTO accounts (name, display_name, roles, scrypt_n, scrypt_r, scrypt_p, salt, hash, created, changed, password_changed)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(a.user, a.displayName, JSON.stringify(a.roles), a.password.N, a.password.r, a.password.p, a.password.salt, a.password.hash, now, now, now);
      })
      .immediate();
    return this.require(a.user);
  }

  update(name: string, change: { displayName?: string; roles?: readonly Role[] }, now: number): Account {
    this.db
      .transaction(() => {
        const current = this.require(name);
        const roles = change.roles ?? current.roles;
        if (current.roles.includes('administrator') && !roles.includes('administrator')) this.keepAnAdministrator(name);
        this.db.prepare('UPDATE accounts SET display_name = ?, roles = ?, changed = ? WHERE name = ?').run(change.displayName ?? current.displayName, JSON.stringify(roles), now, name);
      })
      .immediate();
    return this.require(name);
  }

  /**
   * A new password: clears failed sign-ins and a lock. Its time always grows (at least by 1 ms
   * over the one before, whatever the clock of the process that sets it), so every session
   * begun under the old password tells the change by it.
   */
  setPassword(name: string, password: PasswordHash, now: number): Account {
    this.require(name);
    this.db
      .transaction(() => {
        this.db
          .prepare('UPDATE accounts SET scrypt_n = ?, scrypt_r = ?, scrypt_p = ?, salt = ?, hash = ?, password_changed = max(?, password_changed + 1), changed = ?, failures = 0, locked_until = NULL WHERE name = ?')
          .run(password.N, password.r, password.p, password.salt, password.hash, now, now, name);
        // Every source's count and lock end with the old password (sign-in.ts also tells by the password time).
        this.db.prepare('DELETE FROM sign_in_failures WHERE name = ?').run(name);
      })
      .immediate();
    return this.require(name);
  }

  /** The same password hashed with new costs (not a password change). */
  rehash(name: string, password: PasswordHash): void {
    this.db.prepare('UPDATE accounts SET scrypt_n = ?, scrypt_r = ?, scrypt_p = ?, salt = ?, hash = ? WHERE name = ?').run(password.N, password.r, password.p, password.salt, password.hash, name);
  }

  setDisabled(name: string, disabled: boolean, now: number): Account {
    this.db
      .transaction(() => {
        const current = this.require(name);
        if (disabled && current.disabled === null && current.roles.includes('administrator')) this.keepAnAdministrator(name);
        if (disabled !== (current.disabled !== null)) {
          this.db.prepare('UPDATE accounts SET disabled = ?, changed = ?, failures = 0, locked_until = NULL WHERE name = ?').run(disabled ? now : null, now, name);
        }
      })
      .immediate();
    return this.require(name);
  }

  /**
   * Keeps the latest failed sign-ins and lock for the Accounts page. The sign-in check counts them
   * (per source, within a window: sign-in.ts); what is stored here refuses nobody.
   */
  showFailures(name: string, failures: number, lockedUntil: number | null): void {
    this.db.prepare('UPDATE accounts SET failures = ?, locked_until = coalesce(?, locked_until) WHERE name = ?').run(failures, lockedUntil, name);
  }

  /** The failures counted for the account from the source (sign-in.ts judges their window and lock). */
  signInFailures(name: string, source: string): StoredFailures | null {
    const row = this.db.prepare('SELECT failures, since, locked_until, password_changed FROM sign_in_failures WHERE name = ? AND source = ?').get(name, source) as
      | { failures: number; since: number; locked_until: number | null; password_changed: number | null }
      | undefined;
    return row ? { failures: row.failures, since: row.since, lockedUntil: row.locked_until, passwordChanged: row.password_changed } : null;
  }

  /** Keeps the count and lock (committed before the answer: a crash right after loses neither); bounded by MAX_FAILURE_ROWS. */
  putSignInFailures(name: string, source: string, f: StoredFailures, now: number): void {
    this.db
      .transaction(() => {
        this.db
          .prepare('INSERT OR REPLACE INTO sign_in_failures (name, source, failures, since, locked_until, password_changed) VALUES (?, ?, ?, ?, ?, ?)')
          .run(name, source, f.failures, f.since, f.lockedUntil, f.passwordChanged);
        const { n } = this.db.prepare('SELECT count(*) AS n FROM sign_in_failures').get() as { n: number };
        if (n > MAX_FAILURE_ROWS) {
          // The oldest counts not locked now go first; a lock outlives a flood of other sources.
          this.db
            .prepare('DELETE FROM sign_in_failures WHERE rowid IN (SELECT rowid FROM sign_in_failures WHERE locked_until IS NULL OR locked_until <= ? ORDER BY since LIMIT ?)')
            .run(now, n - MAX_FAILURE_ROWS);
        }
      })
      .immediate();
  }

  forgetSignInFailures(name: string, source: string): void {
    this.db.prepare('DELETE FROM sign_in_failures WHERE name = ? AND source = ?').run(name, source);
  }

  clearFailures(name: string): void {
    this.db.prepare('UPDATE accounts SET failures = 0, locked_until = NULL WHERE name = ?').run(name);
  }

  close(): void {
    closeStore(this.db);
  }

  private keepAnAdministrator(leaving: string): void {
    const others = this.list().filter((a) => a.user !== leaving && a.disabled === null && a.roles.includes('administrator'));
    if (others.length === 0) {
      throw new AccountConflict(`"${leaving}" is the last enabled administrator: make another administrator first`, 'accounts.lastAdministrator', { user: leaving });
    }
  }
}

function toAccount(r: Row, file: string): Account {
  const roles = JSON.parse(r.roles) as unknown;
  if (!Array.isArray(roles) || !roles.every((x) => (allRoles as readonly unknown[]).includes(x))) {
    throw new Error(`${file}: account "${r.name}": roles: expected a list of ${allRoles.join(', ')}; got ${r.roles}`);
  }
  return {
    user: r.name,
    displayName: r.display_name,
    roles: roles as Role[],
    created: r.created,
    changed: r.changed,
    disabled: r.disabled,
    lockedUntil: r.locked_until,
    failures: r.failures,
    passwordChanged: r.password_changed,
    password: { N: r.scrypt_n, r: r.scrypt_r, p: r.scrypt_p, salt: r.salt, hash: r.hash },
  };
}

/** What the console may see of an account: never the hash. */
export function accountInfo(a: Account): AccountInfo {
  return { user: a.user, displayName: a.displayName, roles: [...a.roles], created: a.created, changed: a.changed, disabled: a.disabled, lockedUntil: a.lockedUntil, failures: a.failures };
}
