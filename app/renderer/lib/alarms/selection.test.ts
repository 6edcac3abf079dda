import { beforeEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { importRunes } from './testing-runes.js';
import type { AlarmListView } from './selection.svelte.js';

type SelectionModule = typeof import('./selection.svelte.js');

interface View {
  closed: boolean;
  callsAfterClose: number;
  list: AlarmListView;
}

/** A list as a component registers it; counts the calls made to it once it has closed. */
function view(ids: string[]): View {
  const element = { querySelectorAll: () => [] } as unknown as HTMLElement;
  const v: View = {
    closed: false,
    callsAfterClose: 0,
    list: {
      ids: () => (v.closed && v.callsAfterClose++, ids),
      // A closed component's bound element is not always null again: the registry must not ask.
      element: () => (v.closed && v.callsAfterClose++, element),
    },
  };
  return v;
}

describe('alarm selection: the lists on screen', () => {
  let selection: SelectionModule['selection'];
  beforeEach(async () => {
    // A fresh module each time: the selection is a singleton.
    ({ selection } = await importRunes<SelectionModule>(fileURLToPath(new URL('./selection.svelte.ts', import.meta.url))));
  });

  it('a closed list (the summary page left) is let go: the keys act on the banner again', () => {
    const banner = view(['b1', 'b2']);
    selection.use(banner.list);
    const summary = view(['s1', 's2', 's3']);
    const close = selection.use(summary.list);
    expect(selection.active?.ids()).toEqual(['s1', 's2', 's3']);

    close();
    summary.closed = true;
    expect(selection.active?.ids()).toEqual(['b1', 'b2']);
    selection.move(1);
    expect(selection.selected).toBe('b1');
  });

  it('visiting the summary page 20 times keeps nothing of it once left (a leak of its whole DOM each visit)', () => {
    const banner = view(['b1']);
    selection.use(banner.list);
    const visits = Array.from({ length: 20 }, () => view(['s1']));
    for (const v of visits) {
      const close = selection.use(v.list);
      close();
      v.closed = true;
    }
    selection.select('s1');
    void selection.active;
    selection.shownSelected();
    selection.move(1);
    selection.prune();
    expect(visits.map((v) => v.callsAfterClose)).toEqual(visits.map(() => 0));
  });

  it('F10 on a returned (RTN) row that then leaves the banner selects the row now in its place', () => {
    const ids = ['p1', 'rtn', 'p3'];
    selection.use(view(ids).list);
    selection.select('rtn');
    let acked = false;
    selection.actOn('rtn', () => acked);
    // The station's answer: acknowledged while back to normal, the row goes to A and leaves the list.
    acked = true;
    ids.splice(1, 1);
    selection.prune();
    expect(selection.selected).toBe('p3');

    // The last row acknowledged: the one now last takes the selection.
    selection.actOn('p3', () => acked);
    ids.splice(1, 1);
    selection.prune();
    expect(selection.selected).toBe('p1');
  });

  it('a row pushed out by newer alarms, or one that left after its acknowledgement was settled, takes the selection with it', () => {
    const ids = ['a', 'b', 'c'];
    selection.use(view(ids).list);
    selection.select('c');
    ids.splice(2, 1, 'd'); // no action of the operator's: a more important alarm took its place
    selection.prune();
    expect(selection.selected).toBeNull();

    // Acknowledged while active (B to C) it stays: the wait ends, and a later push-out selects nothing.
    selection.select('b');
    selection.actOn('b', () => true);
    selection.prune();
    expect(selection.selected).toBe('b');
    ids.splice(1, 1);
    selection.prune();
    expect(selection.selected).toBeNull();

    // A refused acknowledgement (actionDone) likewise.
    selection.select('a');
    selection.actOn('a', () => false);
    selection.actionDone();
    ids.splice(0, 1);
    selection.prune();
    expect(selection.selected).toBeNull();
  });
});
