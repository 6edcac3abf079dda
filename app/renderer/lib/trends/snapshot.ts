/**
 * A PNG of the trend as drawn: a title line with the station, mode and range
 * (with its UTC offset), the chart canvas itself (lines, bands, axes), and a
 * legend of the pens and bands (a frozen pen's mark too, while one is drawn frozen). Saved through a download link, which works
 * the same in browser mode and in the Electron window.
 */
import type uPlot from 'uplot';
import { BAND_BAD, BAND_NODATA, FROZEN_DASH, UNCERTAIN } from './overlays.js';

export interface SnapshotPen {
  label: string;
  /** The tag's name, the label's head: never cut (the operator must read which tag it is); the rest may be. */
  name?: string;
  color: string;
  dash?: number[];
  /**
   * A mark written after the label (or under it, where it and the tag's name do not fit side by
   * side) that a long label never cuts: "(archived only)" for a tag the
   * configuration no longer names (offered from the archive, marked so in the pen list); "(FROZEN
   * since …)" for a pen drawn frozen (frozen-span.ts), as the pen panel reads it.
   */
  note?: string;
}

export interface SnapshotSpec {
  title: string;
  pens: SnapshotPen[];
  /** Texts for the bad, no-data and uncertain marks. */
  legend: [string, string, string];
  /** The frozen mark's text, while a pen is drawn frozen (its lane cross-hatched, its line dotted); else none. */
  frozen?: string | null;
  fileName: string;
}

/**
 * A pen as the legend gives it: "TK101.Level [m] — Level, tank 101", and for a tag only the
 * archive knows (the configuration no longer names it) the mark the pen list shows it with.
 */
export function snapshotPen(
  p: { name: string; unit: string; description: string; archived: boolean; color: string; dash?: number[]; between: string },
  archivedMark: string,
  frozenMark: string | null = null,
): SnapshotPen {
  const label = `${p.name}${p.unit ? ` [${p.unit}]` : ''}${p.between}${p.description}`;
  // An archived-only tag has no live value to be frozen.
  const note = p.archived ? archivedMark : frozenMark;
  return { label, name: p.name, color: p.color, ...(p.dash ? { dash: p.dash } : {}), ...(note !== null ? { note } : {}) };
}

/** What a mark of the legend's last rows is: a quality band, the uncertain strip or a frozen span. */
export type MarkKind = 'bad' | 'noData' | 'uncertain' | 'frozen';

/** A mark's place under the pens: its swatch at (x, y), its text 28 px right of it (px times r). */
export interface MarkEntry {
  kind: MarkKind;
  text: string;
  x: number;
  y: number;
}

/**
 * The marks' legend: bad, no data, uncertain, and frozen while a pen is drawn frozen, left to right
 * from `left`, 24 px apart; an entry that would pass `right` starts the next row (`line` px down).
 */
export function marksLayout(spec: Pick<SnapshotSpec, 'legend' | 'frozen'>, o: { left: number; right: number; top: number; line: number; r: number }, measure: Measure): MarkEntry[] {
  const kinds: MarkKind[] = ['bad', 'noData', 'uncertain'];
  const texts: string[] = [...spec.legend];
  if (spec.frozen) {
    kinds.push('frozen');
    texts.push(spec.frozen);
  }
  const out: MarkEntry[] = [];
  let x = o.left, y = o.top;
  kinds.forEach((kind, i) => {
    const w = 28 * o.r + measure(texts[i]!);
    if (x > o.left && x + w > o.right) {
      x = o.left;
      y += o.line;
    }
    out.push({ kind, text: texts[i]!, x, y });
    x += w + 24 * o.r;
  });
  return out;
}

/** A pen's place in the legend: its swatch at (x, y), its label and note as they are written. */
export interface LegendEntry {
  x: number;
  y: number;
  label: string;
  /** The note (whole, unless the column cannot hold even it) and where it starts: after the label, or under it. */
  note: string | null;
  noteX: number;
  noteY: number;
}

/** The text's width in pixels, in the legend's font. */
export type Measure = (text: string) => number;

/**
 * Where each pen's entry goes: `columns` columns of `width` px from `left`, rows from `top` (y is a
 * line's middle), a 22 px swatch and the text 28 px right of it (px times r). A label too long for
 * its column is cut with an ellipsis after the tag's name, never into it; a note is kept whole after
 * the label, or on a line of its own under it where the name and the note do not fit side by side
 * (that row of the legend is a line taller).
 */
export function legendLayout(pens: readonly SnapshotPen[], o: { left: number; top: number; width: number; columns: number; line: number; r: number }, measure: Measure): LegendEntry[] {
  const room = o.width - 40 * o.r;
  const gap = 6 * o.r;
  const placed = pens.map((p) => {
    if (!p.note) return { label: fitAfter(measure, p.label, p.name, room), note: null, below: false };
    const note = fit(measure, p.note, room);
    // The note first: it says what the pen is, the label's tail (the description) can go; the tag's name cannot.
    const beside = room - measure(note) - gap;
    const label = fitAfter(measure, p.label, p.name, beside);
    if (measure(label) <= beside) return { label, note, below: false };
    return { label: fitAfter(measure, p.label, p.name, room), note, below: true };
  });
  const out: LegendEntry[] = [];
  let rowTop = o.top;
  for (let row = 0; row * o.columns < pens.length; row++) {
    const items = placed.slice(row * o.columns, (row + 1) * o.columns);
    items.forEach((e, c) => {
      const x = o.left + c * o.width, y = rowTop + o.line / 2;
      const noteX = e.note === null ? 0 : e.below ? x + 28 * o.r : x + 28 * o.r + measure(e.label) + gap;
      const noteY = e.note === null ? 0 : e.below ? y + o.line : y;
      out.push({ x, y, label: e.label, note: e.note, noteX, noteY });
    });
    rowTop += o.line * (items.some((e) => e.below) ? 2 : 1);
  }
  return out;
}

/** The legend's height in lines (a row whose note went under its label takes two). */
export function legendLines(entries: readonly LegendEntry[], o: { top: number; line: number }): number {
  let bottom = o.top;
  for (const e of entries) bottom = Math.max(bottom, Math.max(e.y, e.noteY) + o.line / 2);
  return Math.round((bottom - o.top) / o.line);
}

/**
 * How many legend columns the image takes: one per 360 px (times r), fewer where a tag's name would
 * not fit its column whole (a name is never cut).
 */
export function legendColumns(pens: readonly SnapshotPen[], imageWidth: number, r: number, measure: Measure): number {
  const widest = Math.max(0, ...pens.map((p) => measure(p.name ?? '')));
  // No more columns than pens: one pen's entry had a third of the image and put its mark under it beside empty room.
  let columns = Math.max(1, Math.min(pens.length, Math.floor(imageWidth / (360 * r))));
  while (columns > 1 && imageWidth / columns - 40 * r < widest) columns--;
  return columns;
}

export function composeSnapshot(u: uPlot, spec: SnapshotSpec): HTMLCanvasElement {
  const src = u.ctx.canvas;
  const r = devicePixelRatio || 1;
  const line = Math.round(20 * r), pad = Math.round(10 * r);
  const out = document.createElement('canvas');
  out.width = src.width;
  const ctx = out.getContext('2d');
  if (!ctx) throw new Error('snapshot: no 2D canvas');
  // The legend's and the marks' rows depend on their texts' widths: measured in the legend's font before the canvas is sized.
  const legendFont = `${Math.round(13 * r)}px system-ui, sans-serif`;
  ctx.font = legendFont;
  const measure: Measure = (text) => ctx.measureText(text).width;
  const columns = legendColumns(spec.pens, out.width, r, measure);
  const width = out.width / columns;
  const entries = legendLayout(spec.pens, { left: pad, top: 0, width, columns, line, r }, measure);
  const penRows = legendLines(entries, { top: 0, line });
  const marks = marksLayout(spec, { left: pad, right: out.width - pad, top: 0, line, r }, measure);
  const markRows = (marks.at(-1)?.y ?? 0) / line + 1;
  out.height = pad + line + pad + src.height + pad + (penRows + markRows) * line + pad;
  ctx.fillStyle = '#ececec';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = '#1c1c1c';
  ctx.textBaseline = 'middle';
  ctx.font = `600 ${Math.round(15 * r)}px system-ui, sans-serif`;
  ctx.fillText(spec.title, pad, pad + line / 2);
  const top = pad + line + pad;
  ctx.drawImage(src, 0, top);
  ctx.font = legendFont;
  let y = top + src.height + pad;
  spec.pens.forEach((p, i) => {
    const { x, y: y0, label, note, noteX, noteY } = entries[i]!;
    const yy = y + y0;
    ctx.strokeStyle = p.color;
    ctx.lineWidth = 3 * r;
    ctx.setLineDash((p.dash ?? []).map((d) => d * r));
    ctx.beginPath();
    ctx.moveTo(x, yy);
    ctx.lineTo(x + 22 * r, yy);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = '#1c1c1c';
    ctx.fillText(label, x + 28 * r, yy);
    if (note) ctx.fillText(note, noteX, y + noteY);
  });
  y += penRows * line + line / 2;
  const colors: Record<MarkKind, string> = { bad: BAND_BAD, noData: BAND_NODATA, uncertain: UNCERTAIN, frozen: BAND_BAD };
  for (const m of marks) {
    const x = m.x, yy = y + m.y;
    ctx.fillStyle = `${colors[m.kind]}66`;
    ctx.fillRect(x, yy - 6 * r, 22 * r, 12 * r);
    // Frozen as the chart draws it: the swatch cross-hatched and a dotted line through it, not a colour alone.
    if (m.kind === 'frozen') frozenSwatch(ctx, x, yy, r);
    ctx.fillStyle = '#1c1c1c';
    ctx.fillText(m.text, x + 28 * r, yy);
  }
  return out;
}

function frozenSwatch(ctx: CanvasRenderingContext2D, x: number, y: number, r: number): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(x, y - 6 * r, 22 * r, 12 * r);
  ctx.clip();
  ctx.strokeStyle = `${BAND_BAD}cc`;
  ctx.lineWidth = Math.max(1, r);
  ctx.beginPath();
  for (let d = -12 * r; d < 22 * r; d += 6 * r) {
    ctx.moveTo(x + d, y + 6 * r);
    ctx.lineTo(x + d + 12 * r, y - 6 * r);
    ctx.moveTo(x + d, y - 6 * r);
    ctx.lineTo(x + d + 12 * r, y + 6 * r);
  }
  ctx.stroke();
  ctx.strokeStyle = '#1c1c1c';
  ctx.lineWidth = 2 * r;
  ctx.setLineDash(FROZEN_DASH.map((d) => d * r));
  ctx.beginPath();
  ctx.moveTo(x, y);
  ctx.lineTo(x + 22 * r, y);
  ctx.stroke();
  ctx.restore();
}

/** fit, but never into `head` (the label's start): the head whole and the ellipsis, however wide. */
function fitAfter(measure: Measure, text: string, head: string | undefined, width: number): string {
  const cut = fit(measure, text, width);
  if (!head || !text.startsWith(head) || cut === text || cut.length > head.length) return cut;
  return text === head ? head : `${head}…`;
}

function fit(measure: Measure, text: string, width: number): string {
  if (measure(text) <= width) return text;
  let s = text;
  while (s.length > 1 && measure(`${s}…`) > width) s = s.slice(0, -1);
  return `${s}…`;
}

export async function saveSnapshot(u: uPlot, spec: SnapshotSpec): Promise<void> {
  const canvas = composeSnapshot(u, spec);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('snapshot: the canvas gave no PNG');
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = spec.fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
