/**
 * Change feed cursors. A reader has everything written up to sequence number `a`; while a
 * pass over (a, b] is under way, also everything of it up to a position (volume start, tag
 * id, sample time) in pass order. `g` is the last volume_gone row already considered, so a
 * lost volume is reported once. Serialized as dot-separated integers: JSON-safe and opaque.
 */
export interface CursorState {
  a: number;
  g: number;
  pass: { b: number; vol: number; tag: number; t: number } | null;
}

const VERSION = '1';

export const START: CursorState = { a: -1, g: 0, pass: null };

export function formatCursor(c: CursorState): string {
  const head = `${VERSION}.${c.a}.${c.g}`;
  return c.pass ? `${head}.${c.pass.b}.${c.pass.vol}.${c.pass.tag}.${c.pass.t}` : head;
}

export function parseCursor(cursor: string | null): CursorState {
  if (cursor === null) return START;
  const parts = typeof cursor === 'string' ? cursor.split('.') : [];
  const n = parts.slice(1).map(Number);
  if (parts[0] !== VERSION || (n.length !== 2 && n.length !== 6) || !n.every(Number.isSafeInteger)) {
    throw new Error(`change cursor: expected a cursor returned by readChanges or changeHead, got ${JSON.stringify(cursor)}`);
  }
  const [a, g, b, vol, tag, t] = n as [number, number, number?, number?, number?, number?];
  return { a, g, pass: b === undefined ? null : { b, vol: vol!, tag: tag!, t: t! } };
}

/**
 * Total order of cursors: along one reader's chain, each cursor handed out is after the one
 * passed in. Negative: x is before y.
 */
export function compareChangeCursors(x: string | null, y: string | null): number {
  const p = parseCursor(x), q = parseCursor(y);
  const key = (c: CursorState) => [c.a, c.pass ? 1 : 0, c.pass?.b ?? 0, c.pass?.vol ?? 0, c.pass?.tag ?? 0, c.pass?.t ?? 0, c.g];
  const kp = key(p), kq = key(q);
  for (let i = 0; i < kp.length; i++) if (kp[i] !== kq[i]) return kp[i]! < kq[i]! ? -1 : 1;
  return 0;
}
