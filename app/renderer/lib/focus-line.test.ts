import { describe, expect, it } from 'vitest';
import { focusLineTitle, givesWay } from './focus-line.js';

describe('the focus line kept to one line', () => {
  it('holds the whole text in its title, the parts in reading order, absent ones left out', () => {
    expect(focusLineTitle(['Tank 101 temperature', 'Area1.TK101.Temperature', '17.0 °C', undefined, '', '(3 s ago)', null, 'In alarm: FROZEN PV, P3 Medium, UNACK.'])).toBe(
      'Tank 101 temperature · Area1.TK101.Temperature · 17.0 °C · (3 s ago) · In alarm: FROZEN PV, P3 Medium, UNACK.',
    );
    expect(focusLineTitle(['  sim ', 'connected'])).toBe('sim · connected');
    expect(focusLineTitle([])).toBe('');
  });

  it('gives way with the description first, then the status detail, then the alarm; never the tag, the value or its age', () => {
    expect(givesWay.head).toBeGreaterThan(givesWay.detail);
    expect(givesWay.detail).toBeGreaterThan(givesWay.alarm);
    expect(givesWay.alarm).toBeGreaterThan(0);
    expect([givesWay.name, givesWay.value, givesWay.age]).toEqual([0, 0, 0]);
  });
});
