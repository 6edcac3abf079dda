/**
 * Conditions an OPC UA server raises (Part 9 Alarms & Conditions) as the
 * engine follows them: each report is the server's word on ActiveState,
 * AckedState, ConfirmedState, SuppressedState and Retain; the engine maps them
 * to the spec's states (B, C, D, G), journals the transitions and hands every
 * change, and only a change, to the consoles. Expectations are literals.
 */
import { describe, expect, it } from 'vitest';
import { AlarmEngine } from './engine.js';
import type { ServerCondition } from './server-condition.js';

const T0 = Date.UTC(2025, 0, 6, 8, 0, 0);
const ID = 'server/plc/ns=2;s=ESD';
const base: ServerCondition = {
  id: ID, server: 'plc', source: 'ESD-1', area: 'A1', message: 'ESD tripped', priority: 1, active: true, acked: false,
  confirmed: null, suppressed: false, retain: true, value: null, time: T0, user: null, comment: null,
};

class Server {
  t = T0;
  readonly engine = new AlarmEngine({ now: () => this.t }, []);
  report(c: Partial<ServerCondition> = {}): this {
    this.engine.serverCondition({ ...base, ...c });
    return this;
  }
  row(id = ID) {
    return this.engine.rows().find((r) => r.id === id);
  }
  events(): string[] {
    return this.engine.takeJournal().map((j) => j.event);
  }
  /** What the consoles are sent: the states of the changed rows, and the ids no longer listed. */
  sent(): { rows: string[]; removed: string[] } {
    const c = this.engine.takeChanges();
    return { rows: c.rows.map((r) => r.state), removed: c.removed };
  }
  /** Journal and changes taken: the next call sees only what follows. */
  flush(): this {
    this.events();
    this.sent();
    return this;
  }
}

describe('server conditions: what reaches the consoles', () => {
  it('a report that repeats the last one changes nothing: same revision, nothing sent, nothing journaled', () => {
    const s = new Server().report({ confirmed: false }).flush();
    const rev = s.row()!.revision;
    s.report({ confirmed: false });
    expect(s.row()!.revision).toBe(rev);
    expect(s.sent()).toEqual({ rows: [], removed: [] });
    expect(s.events()).toEqual([]);
  });

  it('the refresh after a lost connection reporting it unchanged clears suspect: sent, same revision (an ack of what was seen applies)', () => {
    const s = new Server().report().flush();
    s.engine.serverState('plc', false);
    expect(s.row()).toMatchObject({ state: 'B', suspect: true });
    s.flush();
    const rev = s.row()!.revision;
    s.engine.serverState('plc', true);
    s.report();
    expect(s.row()).toMatchObject({ state: 'B', suspect: false, revision: rev });
    expect(s.sent().rows).toEqual(['B']);
    expect(s.events()).toEqual([]);
    expect(s.engine.acknowledge([ID], [rev], 'op1', null)).toEqual([ID]);
  });

  it('a new priority alone, or a new message alone, is sent', () => {
    const s = new Server().report().flush();
    s.report({ priority: 2 });
    expect(s.sent().rows).toEqual(['B']);
    expect(s.row()).toMatchObject({ priority: 2, message: 'ESD tripped' });
    s.report({ priority: 2, message: 'ESD tripped by PB-3' });
    expect(s.sent().rows).toEqual(['B']);
    expect(s.row()).toMatchObject({ priority: 2, message: 'ESD tripped by PB-3' });
  });

  it('raised to a more urgent priority while active is journaled escalated, a less urgent one limitChanged, each at the new priority; a new message is not', () => {
    const s = new Server().report({ priority: 2 }).flush();
    s.report({ priority: 1 });
    const journal = s.engine.takeJournal();
    expect(journal.map((j) => [j.event, j.priority, j.state])).toEqual([['escalated', 1, 'B']]);
    // Lowered while active (the server's HH back to H): an investigation reads both directions, as for the station's own alarms.
    s.flush().report({ priority: 3 });
    expect(s.engine.takeJournal().map((j) => [j.event, j.priority, j.state])).toEqual([['limitChanged', 3, 'B']]);
    s.report({ priority: 3, message: 'ESD tripped by PB-3' });
    expect(s.events()).toEqual([]);
    // Lowered after its return (retained, still to be acknowledged): no longer the process moving, not journaled.
    s.report({ priority: 3, active: false }).flush().report({ priority: 4, active: false });
    expect(s.events()).toEqual([]);
    s.report({ priority: 3 }).flush();
    // An acknowledged one escalated stays acknowledged (the server owns its ack): journaled in state C.
    s.report({ priority: 3, acked: true }).flush().report({ priority: 1, acked: true });
    expect(s.engine.takeJournal().map((j) => [j.event, j.priority, j.state])).toEqual([['escalated', 1, 'C']]);
  });

  it('raised, returned unacked, dropped (still D); raised acked, re-armed, suppressed and back: each step is sent', () => {
    const s = new Server();
    const step = (c: Partial<ServerCondition>) => {
      s.report(c);
      return [s.sent(), s.events()];
    };
    expect(step({})).toEqual([{ rows: ['B'], removed: [] }, ['activated']]);
    expect(step({ active: false })).toEqual([{ rows: ['D'], removed: [] }, ['returned']]);
    // Dropped by the server unacknowledged: still D (spec: D leaves by an ack), the ack now the station's.
    expect(step({ active: false, retain: false })).toEqual([{ rows: ['D'], removed: [] }, []]);
    expect(step({ acked: true })).toEqual([{ rows: ['C'], removed: [] }, ['activated']]);
    expect(step({})).toEqual([{ rows: ['B'], removed: [] }, ['reannunciated']]);
    // Suppression entered and left while listed is journaled, as the station's own (G); left active
    // and unacknowledged, the operator gets it again (G -> B): annunciated.
    expect(step({ suppressed: true })).toEqual([{ rows: ['G'], removed: [] }, ['suppressed']]);
    expect(s.engine.summary()).toMatchObject({ suppressed: 1, unacked: [0, 0, 0, 0] });
    expect(step({})).toEqual([{ rows: ['B'], removed: [] }, ['unsuppressed', 'reannunciated']]);
  });

  it('a confirm alone is sent: the row waiting for it leaves the list', () => {
    const s = new Server().report({ acked: true, confirmed: false }).report({ active: false, acked: true, confirmed: false }).flush();
    expect(s.row()).toMatchObject({ state: 'A', flags: { confirmed: false } });
    s.report({ active: false, acked: true, confirmed: true, user: 'op2', comment: 'checked' });
    expect(s.sent()).toEqual({ rows: [], removed: [ID] });
    expect(s.engine.takeJournal().map((j) => [j.event, j.user, j.comment])).toEqual([['confirmed', 'op2', 'checked']]);
  });
});

describe('server conditions: acknowledgement and confirm as the server reports them', () => {
  it('a condition already acknowledged at the server joins in C: no horn, no annunciation counted, no ack invented', () => {
    const s = new Server().report({ acked: true });
    expect(s.row()).toMatchObject({ state: 'C', audible: false, annunciatedAt: null, ackUser: null });
    expect(s.events()).toEqual(['activated']);
    expect(s.engine.summary().flood.count).toBe(0);
  });

  it('returned and acknowledged in one report: returned, then acknowledged (B -> D -> A), never "cleared"', () => {
    const s = new Server().report().flush();
    s.report({ active: false, acked: true, user: 'op2' });
    expect(s.events()).toEqual(['returned', 'acknowledged']);
    expect(s.row()).toBeUndefined();
  });

  it('a return reported unacknowledged is RTN-Unack (D) even when the station had it acknowledged', () => {
    const s = new Server().report({ acked: true }).flush();
    s.t = T0 + 60_000;
    s.report({ active: false, acked: false, time: T0 + 30_000 });
    expect(s.engine.takeJournal().map((j) => [j.event, j.state])).toEqual([['returned', 'D']]);
    expect(s.row()).toMatchObject({ state: 'D', returnedAt: T0 + 60_000, audible: false });
  });

  it('a return acknowledged at the server before it returned is "cleared", and no ack is journaled again', () => {
    const s = new Server().report({ acked: true }).flush();
    s.report({ active: false, acked: true });
    expect(s.events()).toEqual(['cleared']);
    expect(s.row()).toBeUndefined();
  });

  it('a confirm is journaled only for a move from unconfirmed to confirmed', () => {
    const s = new Server();
    s.report({ acked: true, confirmed: true });
    expect(s.events()).toEqual(['activated']);
    const other = `${ID}-2`;
    s.report({ id: other, acked: true, confirmed: false }).report({ id: other, acked: true, confirmed: null });
    expect(s.events()).toEqual(['activated']);
  });
});

describe('server conditions: an unacknowledged return the station did not see (found by a ConditionRefresh)', () => {
  it('is listed as RTN-Unack (D), returned when the server says, without horn; the ack is still owed', () => {
    const s = new Server();
    s.t = T0 + 60_000;
    s.report({ active: false, acked: false, time: T0 + 30_000 });
    expect(s.row()).toMatchObject({ state: 'D', flags: { active: false, acked: false }, returnedAt: T0 + 30_000, activatedAt: null, audible: false });
    expect(s.engine.takeJournal().map((j) => [j.event, j.state])).toEqual([['returned', 'D']]);
    expect(s.engine.summary()).toMatchObject({ unacked: [1, 0, 0, 0], horn: { tone: null } });
    expect(s.sent()).toEqual({ rows: ['D'], removed: [] });
    // Reported again (the next refresh): nothing new.
    s.report({ active: false, acked: false, time: T0 + 30_000 });
    expect([s.events(), s.sent()]).toEqual([[], { rows: [], removed: [] }]);
    // Acknowledged at the server: gone.
    s.report({ active: false, acked: true, user: 'op2' });
    expect(s.events()).toEqual(['acknowledged']);
    expect(s.row()).toBeUndefined();
  });

  it('is not listed when the server no longer retains it, nor when it is acknowledged', () => {
    const s = new Server();
    s.report({ active: false, acked: false, retain: false }).report({ id: `${ID}-2`, active: false, acked: true });
    expect([s.engine.rows(), s.events(), s.sent()]).toEqual([[], [], { rows: [], removed: [] }]);
  });
});

describe('server conditions: Retain false', () => {
  it('a dropped condition leaves the list even while it waited for a confirm', () => {
    const s = new Server().report({ acked: true, confirmed: false }).report({ active: false, acked: true, confirmed: false });
    expect(s.row()).toBeDefined();
    s.report({ active: false, acked: true, confirmed: false, retain: false });
    expect(s.row()).toBeUndefined();
  });

  it('a dropped condition that was confirmed keeps what the server said (confirmed), nothing to send', () => {
    const s = new Server().report({ acked: true, confirmed: true }).report({ active: false, acked: true, confirmed: true }).flush();
    s.report({ active: false, acked: true, confirmed: true, retain: false });
    expect(s.engine.serverConditionOf(ID)!.confirmed).toBe(true);
    expect(s.sent()).toEqual({ rows: [], removed: [] });
  });
});

describe('server conditions: one its server dropped unacknowledged (serverGone)', () => {
  it('its row and the journal line of the station\'s ack say the server no longer reports it; raised again, they no longer do', () => {
    const s = new Server().report().report({ active: false }).flush();
    expect(s.row()).toMatchObject({ state: 'D', text: null });
    s.report({ active: false, retain: false });
    expect(s.row()).toMatchObject({ state: 'D', message: 'ESD tripped', text: { key: 'alarms.server.gone', params: { message: 'ESD tripped', server: 'plc' } } });
    // The server reports it again (a new trip): an alarm of the server's as before.
    s.report({});
    expect(s.row()).toMatchObject({ state: 'B', text: null });
    s.report({ active: false }).report({ active: false, retain: false }).flush();
    s.engine.acknowledge([ID], [s.row()!.revision], 'op1', 'seen');
    expect(s.engine.takeJournal().map((j) => [j.event, j.user, j.text])).toEqual([
      ['acknowledged', 'op1', { key: 'alarms.server.gone', params: { message: 'ESD tripped', server: 'plc' } }],
    ]);
  });
});

describe('server conditions: what the station adds', () => {
  it('no unit (no value), no latch of its own, shelvable like any alarm below priority 1', () => {
    const s = new Server().report({ priority: 2 });
    expect(s.row()).toMatchObject({ unit: '', value: null, latched: false, shelvable: true });
    expect(s.engine.definitions()).toMatchObject([{ id: ID, kind: 'server', unit: '', latching: false, shelvable: true }]);
    s.engine.shelve(ID, { minutes: 30, maxMinutes: 480, reason: 'known trip, under repair', by: 'op1' });
    expect(s.row()).toMatchObject({ state: 'F', flags: { shelving: 'TimedShelved' } });
  });

  it('an ESD trip of priority 1 (severity above 800) is not shelvable (ISA-18.2: safety alarms are not shelved)', () => {
    const s = new Server().report();
    expect(s.row()).toMatchObject({ shelvable: false });
    expect(() => s.engine.shelve(ID, { minutes: 30, maxMinutes: 480, reason: 'nuisance', by: 'op1' })).toThrow(/may not be shelved/);
  });

  it('one shelved at priority 2 whose severity rises to priority 1 is unshelved and may not be shelved again; back at 2 it may', () => {
    const s = new Server().report({ priority: 2 });
    s.engine.shelve(ID, { minutes: 30, maxMinutes: 480, reason: 'known trip, under repair', by: 'op1' });
    expect(s.row()).toMatchObject({ flags: { shelving: 'TimedShelved' } });
    s.report({ priority: 1 });
    expect(s.row()).toMatchObject({ shelvable: false, flags: { shelving: 'Unshelved' } });
    expect(() => s.engine.shelve(ID, { minutes: 30, maxMinutes: 480, reason: 'again', by: 'op1' })).toThrow(/may not be shelved/);
    s.report({ priority: 2 });
    expect(s.row()).toMatchObject({ shelvable: true });
  });
});
