/** For the accounts tests: a clock the test moves, a temp data directory, cheap hash costs. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accountsSchema, type AccountsConfig } from '../../../shared/config/accounts.js';
import type { Clock } from '../clock.js';

export class TestClock implements Clock {
  /** Every wait asked for, in order. */
  readonly sleeps: number[] = [];
  constructor(public t = Date.UTC(2026, 10, 30, 6, 0, 0)) {}
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += ms;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** The config as a station would have it, with hash costs small enough for tests. */
export function testConfig(over: Partial<AccountsConfig> = {}): AccountsConfig {
  return { ...accountsSchema.parse({}), passwordHash: { N: 1024, r: 8, p: 1 }, ...over };
}

export function tempDir(prefix = 'vigil-accounts-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
