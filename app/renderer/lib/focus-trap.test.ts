import { describe, expect, it } from 'vitest';
import { tabStops, wrapTarget, type TabCandidate } from './focus-trap.js';

const button = (id: string): TabCandidate & { id: string } => ({ id, radio: null, checked: false });
const radio = (id: string, name: string, checked = false): TabCandidate & { id: string } => ({ id, radio: name, checked });
const ids = (xs: { id: string }[]) => xs.map((x) => x.id);

describe('a modal dialog keeps Tab inside it', () => {
  // The export dialog: two radio groups, two selects, Cancel, Export.
  const form = [
    radio('raw', 'shape', true), radio('resampled', 'shape'), button('aggregate'), button('interval'),
    radio('utc', 'times'), radio('local', 'times', true), button('cancel'), button('export'),
  ];

  it('a radio group is one stop: its checked radio, or its first when none is', () => {
    expect(ids(tabStops(form))).toEqual(['raw', 'aggregate', 'interval', 'local', 'cancel', 'export']);
    expect(ids(tabStops([radio('a', 'g'), radio('b', 'g'), button('x')]))).toEqual(['a', 'x']);
    // Radios without a name are each a stop of their own, as the browser has them.
    expect(ids(tabStops([radio('a', ''), radio('b', '')]))).toEqual(['a', 'b']);
  });

  it('Tab on the last stop goes to the first; Shift+Tab on the first to the last; elsewhere the browser moves on', () => {
    const stops = tabStops(form);
    expect(wrapTarget(stops, stops[5]!, false)?.id).toBe('raw');
    expect(wrapTarget(stops, stops[0]!, true)?.id).toBe('export');
    expect(wrapTarget(stops, stops[2]!, false)).toBeNull();
    expect(wrapTarget(stops, stops[2]!, true)).toBeNull();
    // A radio of a group that is not its stop (the unchecked one, focused by a click) counts as the group's place.
    expect(wrapTarget(stops, form[1]!, true)?.id).toBe('export');
  });

  it('focus on the dialog itself (or nothing inside it) enters at the first stop, or the last going back', () => {
    const stops = tabStops(form);
    expect(wrapTarget(stops, null, false)?.id).toBe('raw');
    expect(wrapTarget(stops, null, true)?.id).toBe('export');
    expect(wrapTarget([], null, false)).toBeNull();
  });
});
