/** What both CLIs share: the data directory, the accounts config that applies to it, and who runs them. */
import { existsSync, statSync } from 'node:fs';
import { userInfo, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { accountsSchema, type AccountsConfig } from '../../../shared/config/accounts.js';
import { loadStationConfig } from '../../station/config-file.js';

export class UsageError extends Error {}

export function dataDirArg(raw: string | undefined): string {
  if (!raw) throw new UsageError('--data DIR: required (the station\'s data directory)');
  return resolve(raw);
}

/**
 * The file of a store that must be there already (accounts.sqlite, audit.sqlite): for the commands that
 * read, or change what is there. A mistyped --data is a usage error that names the path; nothing is
 * created (SQLite would make an empty store of any path). Only `accounts add` makes a new data directory.
 */
export function existingStore(dataDir: string, name: 'accounts.sqlite' | 'audit.sqlite', holds: string, hint = ''): string {
  const expected = `expected the station's data directory, holding ${name}`;
  let isDir: boolean;
  try {
    isDir = statSync(dataDir).isDirectory();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    throw new UsageError(`--data ${dataDir}: no such directory; ${expected}${hint}`);
  }
  if (!isDir) throw new UsageError(`--data ${dataDir}: not a directory; ${expected}${hint}`);
  const file = join(dataDir, name);
  if (!existsSync(file)) throw new UsageError(`--data ${dataDir}: no ${holds} there (no ${name}); ${expected}${hint}`);
  return file;
}

/**
 * The accounts block of the station config the data directory runs with:
 * --config, else <data>/station.yaml (where console edits go), else the defaults.
 */
export function accountsConfigFor(dataDir: string, configFile: string | undefined): AccountsConfig {
  const own = join(dataDir, 'station.yaml');
  const file = configFile ? resolve(configFile) : existsSync(own) ? own : null;
  return file ? loadStationConfig(file).accounts : accountsSchema.parse({});
}

/** The audit source of a CLI change: the operating-system user at the shell. */
export function cliSource(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    user = process.env.USER ?? 'unknown'; // no passwd entry (containers): the environment's name
  }
  return `cli:${user}@${hostname()}`;
}
