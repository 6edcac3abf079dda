import { describe, expect, it } from 'vitest';
import type { BrowseNode } from '../../shared/api.js';
import { keyAction, visibleRows, type Children } from './browse-tree.js';

const n = (nodeId: string, hasChildren = true): BrowseNode => ({ nodeId, browseName: nodeId, displayName: nodeId, nodeClass: hasChildren ? 'Object' : 'Variable', hasChildren });

describe('address-space tree', () => {
  const roots = [n('Plant'), n('Server')];
  const children = new Map<string, Children>([['Plant', [n('T1'), n('Level', false)]], ['Plant/T1', 'loading']]);

  it('shows the children of expanded rows only, keyed by path', () => {
    expect(visibleRows(roots, children, new Set()).map((r) => r.key)).toEqual(['Plant', 'Server']);
    const rows = visibleRows(roots, children, new Set(['Plant', 'Plant/T1']));
    expect(rows.map((r) => [r.key, r.depth])).toEqual([['Plant', 0], ['Plant/T1', 1], ['Plant/Level', 1], ['Server', 0]]);
  });

  it('moves, opens and closes as the WAI-ARIA tree pattern says', () => {
    const closed = visibleRows(roots, children, new Set());
    expect(keyAction(closed, 'Plant', 'ArrowDown')).toEqual({ kind: 'focus', key: 'Server' });
    expect(keyAction(closed, 'Plant', 'ArrowRight')).toEqual({ kind: 'expand', key: 'Plant' });
    const open = visibleRows(roots, children, new Set(['Plant']));
    expect(keyAction(open, 'Plant', 'ArrowRight')).toEqual({ kind: 'focus', key: 'Plant/T1' });
    expect(keyAction(open, 'Plant', 'ArrowLeft')).toEqual({ kind: 'collapse', key: 'Plant' });
    expect(keyAction(open, 'Plant/Level', 'ArrowLeft')).toEqual({ kind: 'focus', key: 'Plant' });
    expect(keyAction(open, 'Plant/Level', 'ArrowRight')).toBeNull();
    expect(keyAction(open, 'Plant/Level', 'Enter')).toEqual({ kind: 'select', key: 'Plant/Level' });
    expect(keyAction(open, 'Server', 'Home')).toEqual({ kind: 'focus', key: 'Plant' });
    expect(keyAction(open, 'Plant', 'End')).toEqual({ kind: 'focus', key: 'Server' });
    expect(keyAction(open, 'Plant', 'x')).toBeNull();
  });
});
