import { describe, expect, it } from 'vitest';
import { problemNow, raise } from './field-problem.js';

describe('a dialog message stands only while the fields it is about are unchanged', () => {
  const empty = { choice: '30', custom: '', reason: '' };

  it('"A reason is required." goes once a reason is typed, and holds while only the length changes', () => {
    const p = raise('A reason is required.', { reason: '' });
    expect(problemNow(p, empty)).toBe('A reason is required.');
    expect(problemNow(p, { ...empty, choice: '60' })).toBe('A reason is required.');
    expect(problemNow(p, { ...empty, reason: 'p' })).toBeNull();
    expect(problemNow(p, { ...empty, reason: 'pump maintenance' })).toBeNull();
  });

  it('a length it cannot read goes when the length changes, not when the reason does', () => {
    const p = raise('Cannot read "4x"', { choice: 'custom', custom: '4x' });
    const now = { choice: 'custom', custom: '4x', reason: '' };
    expect(problemNow(p, { ...now, reason: 'calibration' })).toBe('Cannot read "4x"');
    expect(problemNow(p, { ...now, custom: '45' })).toBeNull();
    expect(problemNow(p, { ...now, choice: '30' })).toBeNull();
  });

  it('the station\'s refusal (about the whole request) goes with any change; nothing raised shows nothing', () => {
    const sent = { choice: '720', custom: '', reason: 'long job' };
    const p = raise('Refused: longer than 8 h', sent);
    sent.choice = '60'; // the raised copy is not the caller's object
    expect(problemNow(p, { ...sent, choice: '720' })).toBe('Refused: longer than 8 h');
    expect(problemNow(p, { ...sent, choice: '60' })).toBeNull();
    expect(problemNow(null, sent)).toBeNull();
  });
});
