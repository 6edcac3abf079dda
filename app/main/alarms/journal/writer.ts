/**
 * Writes the alarm journal and the kept states for the module, and holds
 * what a write could not take (disk full, the file locked by another
 * program, an I/O error): the engine has already moved on, so a line not
 * written is a transition or an operator's action lost, from the journal now
 * and from the kept states at the next start. What is held is written first,
 * in the order it was made, with the next write that succeeds (one
 * transaction: a write that fails leaves nothing behind, so nothing is
 * written twice). While it fails the health says so, for the operator.
 *
 * A failed write is tried again no sooner than RETRY_MS later (real time,
 * whatever the alarm clock says): each attempt on a locked file waits up to
 * the journal's busy timeout on the main thread, which runs the alarm timer
 * and every console's requests.
 */
import { performance } from 'node:perf_hooks';
import type { JournalDraft, PersistedAlarm } from '../engine/types.js';
import type { AlarmJournal } from './journal.js';
import type { AlarmJournalHealth } from '../../../shared/api.js';

export const RETRY_MS = 1000;

/** What the journal has not taken yet: lines in order, and each alarm's latest kept state or its removal. */
class Unwritten {
  lines: JournalDraft[] = [];
  readonly persist = new Map<string, PersistedAlarm>();
  readonly removed = new Set<string>();

  add(lines: readonly JournalDraft[], persist: readonly PersistedAlarm[], removed: readonly string[]): void {
    this.lines.push(...lines);
    // A later state replaces an earlier one; a removal undoes a state not yet kept, and a state after it undoes the removal.
    for (const p of persist) {
      this.removed.delete(p.id);
      this.persist.set(p.id, p);
    }
    for (const id of removed) {
      this.persist.delete(id);
      this.removed.add(id);
    }
  }

  get empty(): boolean {
    return this.lines.length === 0 && this.persist.size === 0 && this.removed.size === 0;
  }

  clear(): void {
    this.lines = [];
    this.persist.clear();
    this.removed.clear();
  }
}

export class JournalWriter {
  private readonly unwritten = new Unwritten();
  private healthNow: AlarmJournalHealth = { state: 'writing', since: null, error: null };
  private retryAt = 0;

  constructor(
    private readonly journal: AlarmJournal,
    /** The alarm clock (ms UTC): when a failure began. */
    private readonly now: () => number,
    /** Called when the health changes: failing (with the lines held), or writing again (with the held lines it wrote). */
    private readonly onHealth: (health: AlarmJournalHealth, err: Error | null, lines: number) => void,
    /** Real elapsed time (ms), for the pause between attempts. */
    private readonly elapsed: () => number = () => performance.now(),
  ) {}

  get health(): AlarmJournalHealth {
    return this.healthNow;
  }

  /** Lines held for a later write. */
  get held(): number {
    return this.unwritten.lines.length;
  }

  /**
   * Takes the changes and writes them with whatever is held; never throws (a failure is held and
   * said through the health). force: try now even inside the retry pause (the module's stop).
   */
  write(lines: readonly JournalDraft[], persist: readonly PersistedAlarm[], removed: readonly string[], force = false): void {
    this.unwritten.add(lines, persist, removed);
    if (this.unwritten.empty) return;
    if (!force && this.elapsed() < this.retryAt) return;
    const now = this.now();
    const u = this.unwritten;
    const count = u.lines.length;
    try {
      this.journal.write(u.lines, [...u.persist.values()], [...u.removed]);
    } catch (err) {
      this.retryAt = this.elapsed() + RETRY_MS;
      this.failed(err as Error, now);
      return;
    }
    u.clear();
    this.retryAt = 0;
    if (this.healthNow.state !== 'writing') this.setHealth({ state: 'writing', since: now, error: null }, null, count);
  }

  private failed(err: Error, now: number): void {
    const since = this.healthNow.state === 'failing' ? this.healthNow.since : now;
    if (this.healthNow.state === 'failing' && this.healthNow.error === err.message) return;
    this.setHealth({ state: 'failing', since, error: err.message }, err, this.held);
  }

  private setHealth(health: AlarmJournalHealth, err: Error | null, lines: number): void {
    this.healthNow = health;
    this.onHealth(health, err, lines);
  }
}
