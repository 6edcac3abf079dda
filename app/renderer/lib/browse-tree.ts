/**
 * The address-space tree of the Tags page as data: which rows are visible
 * (children load lazily, one level at a time) and what each key does, as the
 * WAI-ARIA tree pattern has it (↑ ↓ move, → open or go to the first child,
 * ← close or go to the parent, Home / End, Enter shows the node).
 * A node can be reached by two paths; rows are keyed by path.
 */
import type { BrowseNode } from '../../shared/api.js';

export type Children = BrowseNode[] | 'loading' | { error: string };

export interface Row {
  /** The path of node ids from a root: unique per row. */
  key: string;
  node: BrowseNode;
  depth: number;
  expanded: boolean;
  parentKey: string | null;
}

export const keyOf = (parentKey: string | null, nodeId: string): string => (parentKey === null ? nodeId : `${parentKey}/${nodeId}`);

/** Rows in display order: the roots, and the children of every expanded row that has loaded them. */
export function visibleRows(roots: readonly BrowseNode[], children: ReadonlyMap<string, Children>, expanded: ReadonlySet<string>): Row[] {
  const out: Row[] = [];
  const walk = (nodes: readonly BrowseNode[], depth: number, parentKey: string | null) => {
    for (const node of nodes) {
      const key = keyOf(parentKey, node.nodeId);
      const open = expanded.has(key);
      out.push({ key, node, depth, expanded: open, parentKey });
      const kids = children.get(key);
      if (open && Array.isArray(kids)) walk(kids, depth + 1, key);
    }
  };
  walk(roots, 0, null);
  return out;
}

export type TreeAction =
  | { kind: 'focus'; key: string }
  | { kind: 'expand'; key: string }
  | { kind: 'collapse'; key: string }
  | { kind: 'select'; key: string }
  | null;

/** What a key does on the focused row; null when the tree does not use the key. */
export function keyAction(rows: readonly Row[], focused: string | null, key: string): TreeAction {
  if (rows.length === 0) return null;
  const i = Math.max(0, rows.findIndex((r) => r.key === focused));
  const row = rows[i]!;
  switch (key) {
    case 'ArrowDown': return { kind: 'focus', key: rows[Math.min(rows.length - 1, i + 1)]!.key };
    case 'ArrowUp': return { kind: 'focus', key: rows[Math.max(0, i - 1)]!.key };
    case 'Home': return { kind: 'focus', key: rows[0]!.key };
    case 'End': return { kind: 'focus', key: rows[rows.length - 1]!.key };
    case 'ArrowRight':
      if (!row.node.hasChildren) return null;
      if (!row.expanded) return { kind: 'expand', key: row.key };
      return rows[i + 1]?.parentKey === row.key ? { kind: 'focus', key: rows[i + 1]!.key } : null;
    case 'ArrowLeft':
      if (row.expanded) return { kind: 'collapse', key: row.key };
      return row.parentKey !== null ? { kind: 'focus', key: row.parentKey } : null;
    case 'Enter':
    case ' ':
      return { kind: 'select', key: row.key };
    default:
      return null;
  }
}
