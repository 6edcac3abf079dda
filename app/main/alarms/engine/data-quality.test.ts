/**
 * Data the engine cannot trust: a lost source, a stale or uncertain value, a
 * failed sensor's junk. Spec (specs/alarms.md): loss of communication "marks
 * that source's alarms as suspect until data returns; then states are
 * re-evaluated from fresh values"; design (design.md): "a bad or stale value
 * is never shown, trended or interpolated as if it were good". On the spec's
 * fixture (testing.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  BadNoCommunication, BadSensorFailure, UncertainLastUsableValue, UncertainNoCommunicationLastUsableValue, UncertainSensorNotAccurate,
} from '../../../../historian/status.js';
import { FI, fixtureConfig, Harness, LI } from './testing.js';

describe('spec: a lost source\'s alarms are suspect until data returns, then re-evaluated from fresh values', () => {
  // FI-102 low is suppressed by design while P-101 is stopped (fixture).
  for (const order of [['FI-102', 'P-101'], ['P-101', 'FI-102']]) {
    it(`a suppressed (G) alarm stays suppressed while the server is lost (markers ${order.join(' then ')}): stale data raises nothing`, () => {
      const h = new Harness();
      h.set('P-101', false).set('FI-102', 2).advance(20_000);
      expect(h.row(FI)!.state).toBe('G');
      h.journal.length = 0;
      h.engine.ingest(order.map((tag) => ({ tag, t: h.t, value: tag === 'P-101' ? false : 2, status: BadNoCommunication })));
      h.engine.serverState('sim', false);
      h.advance(60_000);
      expect(h.row(FI)).toMatchObject({ state: 'G', suspect: true, audible: false });
      expect(h.summary).toMatchObject({ suppressed: 1, unacked: [1, 0, 0, 0] }); // only COMMS LOST (P1) is on the banner
      expect(h.events(FI)).toEqual([]);
      // Data returns: the pump still stopped, the flow still low: still G.
      h.engine.serverState('sim', true);
      h.set('P-101', false).set('FI-102', 2);
      expect(h.row(FI)).toMatchObject({ state: 'G', suspect: false });
      expect(h.events(FI)).toEqual([]);
    });
  }

  it('the suppression lifted by a fresh value while the alarm\'s own value is still lost: nothing is raised until its fresh value (case 17 then)', () => {
    const h = new Harness();
    h.set('P-101', false).set('FI-102', 2).advance(1000);
    h.set('FI-102', null, BadNoCommunication);
    h.set('P-101', true);
    expect(h.row(FI)).toBeUndefined();
    expect(h.summary.horn.tone).toBeNull();
    h.set('FI-102', 2);
    expect(h.row(FI)).toMatchObject({ state: 'B', audible: true, suspect: false });
  });

  it('with a 5 s on-delay (as the shipped config has), losing the pump\'s value does not silently end the suppressed activation', () => {
    const raw = fixtureConfig();
    const config = { ...raw, tags: raw.tags.map((t) => (t.name === 'FI-102' && t.alarms ? { ...t, alarms: { ...t.alarms, onDelayS: 5 } } : t)) };
    const h = new Harness(config);
    h.set('P-101', false).set('FI-102', 2).advance(10_000);
    expect(h.row(FI)!.state).toBe('G');
    h.set('P-101', null, BadNoCommunication).set('FI-102', null, BadNoCommunication).advance(10_000);
    expect(h.row(FI)).toMatchObject({ state: 'G', suspect: true });
    expect(h.events(FI)).toEqual(['activated']);
  });
});

describe('uncertain values may raise an alarm but never clear one; a stale value (UncertainLastUsableValue) is no data', () => {
  /** LI-101 at 85 for the 5 s on-delay, acknowledged: C. */
  const ackedHigh = (v = 85) => {
    const h = new Harness();
    h.set('LI-101', v).advance(5000);
    h.ack(LI);
    return h;
  };

  for (const [name, status] of [
    ['UncertainLastUsableValue (the source stopped updating)', UncertainLastUsableValue],
    ['UncertainNoCommunicationLastUsableValue', UncertainNoCommunicationLastUsableValue],
    ['UncertainSensorNotAccurate', UncertainSensorNotAccurate],
  ] as const) {
    it(`${name}: a normal value held 30 s (beyond the 10 s off-delay) does not clear C; the state holds, suspect`, () => {
      const h = ackedHigh();
      h.set('LI-101', 50, status).advance(30_000);
      expect(h.row(LI)).toMatchObject({ state: 'C', condition: 'H', suspect: true });
      expect(h.events(LI)).toEqual(['activated', 'acknowledged']);
      // Good data again: re-evaluated, the off-delay counted from it.
      h.set('LI-101', 50).advance(9900);
      expect(h.row(LI)).toMatchObject({ state: 'C', suspect: false });
      h.advance(100);
      expect(h.row(LI)).toBeUndefined();
    });
  }

  it('a stale value (UncertainLastUsableValue) above HH raises nothing: it is not a reading of the process now', () => {
    const h = new Harness();
    h.set('LI-101', 50).advance(1000).set('LI-101', 95, UncertainLastUsableValue).advance(30_000);
    expect(h.row(LI)).toBeUndefined();
    expect(h.engine.get(LI)!.suspect).toBe(true);
  });

  it('an inaccurate value (UncertainSensorNotAccurate) above HH raises the alarm, suspect', () => {
    const h = new Harness();
    h.set('LI-101', 50).advance(1000).set('LI-101', 95, UncertainSensorNotAccurate).advance(5000);
    expect(h.row(LI)).toMatchObject({ state: 'B', condition: 'HH', priority: 1, suspect: true, audible: true });
  });

  it('the journal marks the value of an alarm raised on an inaccurate value, and not one raised on a good value', () => {
    const h = new Harness();
    h.set('LI-101', 50).advance(1000).set('LI-101', 95, UncertainSensorNotAccurate).advance(5000);
    const raised = h.journal.filter((j) => j.alarmId === LI);
    expect(raised.map((j) => [j.event, j.value, j.valueSuspect])).toEqual([['activated', 95, true]]);
    // A good reading of the same: the acknowledgement's line is a sure reading.
    h.set('LI-101', 96).advance(1000);
    h.ack(LI);
    expect(h.journal.filter((j) => j.alarmId === LI).map((j) => [j.event, j.value, j.valueSuspect])).toEqual([['activated', 95, true], ['acknowledged', 96, false]]);
    const good = new Harness();
    good.set('LI-101', 95).advance(5000);
    expect(good.journal.filter((j) => j.alarmId === LI).map((j) => [j.event, j.value, j.valueSuspect])).toEqual([['activated', 95, false]]);
  });

  it('an uncertain value back between H and HH does not lower an HH row', () => {
    const h = ackedHigh(95);
    h.set('LI-101', 85, UncertainSensorNotAccurate).advance(30_000);
    expect(h.row(LI)).toMatchObject({ state: 'C', condition: 'HH', suspect: true });
  });
});

describe('a failed sensor\'s value is never shown or journaled as if it were the value', () => {
  it('-9999 with BadSensorFailure: the row keeps the last good value, suspect; the ack line journals no value', () => {
    const h = new Harness();
    h.set('LI-101', 85).advance(5000);
    h.set('LI-101', -9999, BadSensorFailure).advance(1000);
    expect(h.row(LI)).toMatchObject({ state: 'B', value: 85, valueAtActivation: 85, suspect: true });
    h.ack(LI, 'op1', 'transmitter failed, checking locally');
    const ack = h.journal.find((j) => j.alarmId === LI && j.event === 'acknowledged')!;
    expect(ack).toMatchObject({ user: 'op1', value: null });
    expect(h.journal.map((j) => j.value)).not.toContain(-9999);
    // A good value again is shown and journaled.
    h.set('LI-101', 50).advance(10_000);
    expect(h.journal.find((j) => j.alarmId === LI && j.event === 'cleared')).toMatchObject({ value: 50 });
  });

  it('a value lost with the server (BadNoCommunication, no value) leaves the last good one on the row', () => {
    const h = new Harness();
    h.set('LI-101', 85).advance(5000);
    h.set('LI-101', null, BadNoCommunication);
    expect(h.row(LI)).toMatchObject({ value: 85, suspect: true });
  });
});

describe('a bad-quality alarm\'s row flags its value: the last usable one, never shown as if it were live', () => {
  /** The fixture with a bad-quality alarm on LI-101 (as the shipped config has on every level). */
  const withBadQuality = () => {
    const raw = fixtureConfig();
    return { ...raw, tags: raw.tags.map((t) => (t.name === 'LI-101' && t.alarms ? { ...t, alarms: { ...t.alarms, badQuality: { priority: 3, onDelayS: 0, offDelayS: 0 } } } : t)) };
  };
  const BAD = 'LI-101/quality';

  it('BadSensorFailure: BAD PV row with the last good value, suspect (as the level row is); good again: not suspect', () => {
    const h = new Harness(withBadQuality());
    h.set('LI-101', 50).advance(1000);
    h.set('LI-101', -9999, BadSensorFailure).advance(1000);
    expect(h.row(BAD)).toMatchObject({ state: 'B', condition: 'BAD', value: 50, suspect: true });
    expect(h.summary.suspect).toBe(1);
    h.set('LI-101', 52).advance(1000);
    expect(h.row(BAD)).toMatchObject({ state: 'D', value: 52, suspect: false });
    expect(h.summary.suspect).toBe(0);
  });

  it('an uncertain value on a returned BAD PV row is flagged too; the row is handed over again, its revision kept', () => {
    // The flag is shown, so the consoles get the row; it is not what an ack is judged by (spec: an
    // alarm that changed, escalated), so the revision stays (the old expectation bumped it).
    const h = new Harness(withBadQuality());
    h.set('LI-101', 50).advance(1000).set('LI-101', -9999, BadSensorFailure).advance(1000);
    h.set('LI-101', 51, UncertainSensorNotAccurate).advance(1000);
    const returned = h.row(BAD)!;
    expect(returned).toMatchObject({ state: 'D', value: 51, suspect: true });
    h.engine.takeChanges();
    h.set('LI-101', 52).advance(1000);
    expect(h.row(BAD)).toMatchObject({ state: 'D', value: 52, suspect: false, revision: returned.revision });
    expect(h.engine.takeChanges().rows.find((r) => r.id === BAD)).toMatchObject({ suspect: false });
  });

  it('a source that says its own device does not communicate, through a connected server, raises the BAD PV alarm (spec: loss of communication with a data source raises an alarm)', () => {
    // A gateway's field bus dropped: the server, connected, reports BadNoCommunication for the tag.
    const h = new Harness(withBadQuality());
    h.engine.serverState('sim', true);
    h.set('LI-101', 50).advance(1000);
    h.set('LI-101', null, BadNoCommunication).advance(1000);
    expect(h.row(BAD)).toMatchObject({ state: 'B', condition: 'BAD', value: 50, suspect: true, audible: true });
    h.set('LI-101', 51).advance(1000);
    expect(h.row(BAD)).toMatchObject({ state: 'D', value: 51, suspect: false });
  });

  it('the station\'s own loss marker, or a server not known connected, raises no BAD PV alarm: the COMM alarm speaks for a lost server', () => {
    const marked = new Harness(withBadQuality());
    marked.engine.serverState('sim', true);
    marked.set('LI-101', 50).advance(1000);
    // Markers come before the server's state (server-link.ts markLoss, then setState): flagged as the station's.
    marked.engine.ingest([{ tag: 'LI-101', t: marked.t, value: null, status: BadNoCommunication, marker: true }]);
    marked.engine.serverState('sim', false);
    marked.advance(60_000);
    expect(marked.row(BAD)).toBeUndefined();
    expect(marked.row(LI)).toBeUndefined();

    const unknown = new Harness(withBadQuality());
    unknown.set('LI-101', 50).advance(1000);
    unknown.set('LI-101', null, BadNoCommunication).advance(60_000);
    expect(unknown.row(BAD)).toBeUndefined();
  });

  it('a latched BAD PV alarm is still reset once the sensor is good (the flag is about the value, not the state)', () => {
    const raw = withBadQuality();
    const config = { ...raw, tags: raw.tags.map((t) => (t.name === 'LI-101' && t.alarms ? { ...t, alarms: { ...t.alarms, badQuality: { priority: 3, onDelayS: 0, offDelayS: 0, latching: true } } } : t)) };
    const h = new Harness(config);
    h.set('LI-101', 50).advance(1000).set('LI-101', -9999, BadSensorFailure).advance(1000);
    h.ack(BAD);
    h.set('LI-101', 52).advance(1000);
    expect(h.row(BAD)).toMatchObject({ state: 'E', suspect: false });
    expect(h.engine.reset([BAD], 'op1', null)).toEqual([BAD]);
  });
});
