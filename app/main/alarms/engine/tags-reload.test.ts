/**
 * After a definitions reload (an engineer's edit), each tag's samples are still evaluated against
 * its own alarms only: a suppression tag's value (a pump's running state, 1) was evaluated against
 * the limit alarm that reads it for suppression, and raised a false LOW LOW on it.
 */
import { expect, it } from 'vitest';
import { def, limit, Rig, spec } from './fixtures/rig.js';

it('after a reload, a suppression tag\'s sample is not evaluated against the alarms its rule suppresses', () => {
  const defs = [
    limit('LT/limit', 'LT', { suppress: [{ tag: 'P', test: { equals: false } }] }),
    def('P/state', 'P', { kind: 'state', when: true, spec: spec('STATE', null, 2) }),
  ];
  const r = new Rig(defs);
  r.set('P', true).set('LT', 50);
  expect(r.events()).toEqual(['P/state activated B STATE']);
  r.engine.define(defs.map((d) => ({ ...d, shelvable: false })));
  // The pump still runs (true: 1 as a number), the level is still 50, between L 20 and H 80.
  r.set('P', true).set('LT', 50);
  expect(r.events()).toEqual([]);
  expect(r.row('LT/limit')).toBeUndefined();
});
