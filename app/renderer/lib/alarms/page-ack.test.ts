import { describe, expect, it } from 'vitest';
import { planPageAck, unsentAnswer } from './page-ack.js';

const r = (id: string, revision = 1) => ({ id, revision });
const ids = (rows: { id: string }[]) => rows.map((x) => x.id);
const unackedOf = (...unacked: string[]) => (id: string) => unacked.includes(id);

describe('Shift+F10 pressed twice within a second', () => {
  it('the first press takes the rows that stood a second; the ones that came just now are left and counted', () => {
    const plan = planPageAck([r('a'), r('b'), r('c')], [r('d')], unackedOf('a', 'b', 'c', 'd'), new Set());
    expect(plan).toEqual({ ack: [r('a'), r('b'), r('c')], notYetSeen: 1, askedBefore: 0 });
  });

  it('the second, before the station answered the first: its rows are not sent again, the rows pushed into view are left and said', () => {
    // a, b, c still unacknowledged in the console (no answer yet); d and e pushed into view 300 ms ago.
    const plan = planPageAck([r('a'), r('b'), r('c')], [r('d'), r('e')], unackedOf('a', 'b', 'c', 'd', 'e'), new Set(['a', 'b', 'c']));
    expect(ids(plan.ack)).toEqual([]);
    expect(plan.notYetSeen).toBe(2);
    expect(plan.askedBefore).toBe(3);
    expect(unsentAnswer(plan)).toBe('notYetSeen');
  });

  it('the second, before the answer, with nothing new on screen: nothing is sent and nothing said over the first\'s answer', () => {
    const plan = planPageAck([r('a'), r('b')], [], unackedOf('a', 'b'), new Set(['a', 'b']));
    expect(plan).toEqual({ ack: [], notYetSeen: 0, askedBefore: 2 });
    expect(unsentAnswer(plan)).toBeNull();
  });

  it('the second, after the answer: the acknowledged rows (new revisions, acked) are not counted; rows moved into view are left', () => {
    const plan = planPageAck([], [r('a', 2), r('b', 2), r('d'), r('e')], unackedOf('d', 'e'), new Set());
    expect(plan).toEqual({ ack: [], notYetSeen: 2, askedBefore: 0 });
    expect(unsentAnswer(plan)).toBe('notYetSeen');
  });

  it('a row the first press did not take (it stood a second only by the second press) is taken by the second', () => {
    const plan = planPageAck([r('a'), r('f')], [], unackedOf('a', 'f'), new Set(['a']));
    expect(ids(plan.ack)).toEqual(['f']);
  });

  it('no unacknowledged row on screen and none asked for: says so', () => {
    const plan = planPageAck([r('a', 3)], [r('b', 2)], unackedOf(), new Set());
    expect(unsentAnswer(plan)).toBe('nothingVisible');
  });
});
