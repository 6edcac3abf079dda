/**
 * A PNG of the trend as drawn: a title line with the station, mode and range
 * (with its UTC offset), the chart canvas itself (lines, bands, axes), and a
 * legend of the pens and bands. Saved through a download link, which works
 * the same in browser mode and in the Electron window.
 */
import type uPlot from 'uplot';
import { BAND_BAD, BAND_NODATA, UNCERTAIN } from './overlays.js';

export interface SnapshotPen {
  label: string;
  color: string;
  dash?: number[];
  /**
   * A mark written after the label that a long label never cuts: "(archived only)" for a tag the
   * configuration no longer names (offered from the archive, marked so in the pen list).
   */
  note?: string;
}

export interface SnapshotSpec {
  title: string;
  pens: SnapshotPen[];
  /** Texts for the bad, no-data and uncertain marks. */
  legend: [string, string, string];
  fileName: string;
}

/**
 * A pen as the legend gives it: "TK101.Level [m] — Level, tank 101", and for a tag only the
 * archive knows (the configuration no longer names it) the mark the pen list shows it with.
 */
export function snapshotPen(
  p: { name: string; unit: string; description: string; archived: boolean; color: string; dash?: number[] },
  archivedMark: string,
): SnapshotPen {
  const label = `${p.name}${p.unit ? ` [${p.unit}]` : ''} — ${p.description}`;
  return { label, color: p.color, ...(p.dash ? { dash: p.dash } : {}), ...(p.archived ? { note: archivedMark } : {}) };
}

/** A pen's place in the legend: its swatch at (x, y), its label and note as they are written. */
export interface LegendEntry {
  x: number;
  y: number;
  label: string;
  /** The note (whole, unless the column cannot hold even it) and where it starts. */
  note: string | null;
  noteX: number;
}

/** The text's width in pixels, in the legend's font. */
export type Measure = (text: string) => number;

/**
 * Where each pen's entry goes: `columns` columns of `width` px from `left`, rows of `line` px
 * from `top` (y is a row's middle), a 22 px swatch and the text 28 px right of it (px times r).
 * A label too long for its column is cut with an ellipsis; a note is kept whole after it.
 */
export function legendLayout(pens: readonly SnapshotPen[], o: { left: number; top: number; width: number; columns: number; line: number; r: number }, measure: Measure): LegendEntry[] {
  return pens.map((p, i) => {
    const x = o.left + (i % o.columns) * o.width;
    const y = o.top + Math.floor(i / o.columns) * o.line + o.line / 2;
    const room = o.width - 40 * o.r;
    const gap = 6 * o.r;
    if (!p.note) return { x, y, label: fit(measure, p.label, room), note: null, noteX: 0 };
    // The note first: it says what the pen is, the label's tail (the description) can go.
    const note = fit(measure, p.note, room);
    const label = fit(measure, p.label, Math.max(0, room - measure(note) - gap));
    return { x, y, label, note, noteX: x + 28 * o.r + measure(label) + gap };
  });
}

export function composeSnapshot(u: uPlot, spec: SnapshotSpec): HTMLCanvasElement {
  const src = u.ctx.canvas;
  const r = devicePixelRatio || 1;
  const line = Math.round(20 * r), pad = Math.round(10 * r);
  const columns = Math.max(1, Math.floor(src.width / (360 * r)));
  const legendRows = Math.ceil(spec.pens.length / columns) + 1;
  const out = document.createElement('canvas');
  out.width = src.width;
  out.height = pad + line + pad + src.height + pad + legendRows * line + pad;
  const ctx = out.getContext('2d');
  if (!ctx) throw new Error('snapshot: no 2D canvas');
  ctx.fillStyle = '#ececec';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = '#1c1c1c';
  ctx.textBaseline = 'middle';
  ctx.font = `600 ${Math.round(15 * r)}px system-ui, sans-serif`;
  ctx.fillText(spec.title, pad, pad + line / 2);
  const top = pad + line + pad;
  ctx.drawImage(src, 0, top);
  ctx.font = `${Math.round(13 * r)}px system-ui, sans-serif`;
  let y = top + src.height + pad;
  const width = out.width / columns;
  const entries = legendLayout(spec.pens, { left: pad, top: y, width, columns, line, r }, (text) => ctx.measureText(text).width);
  spec.pens.forEach((p, i) => {
    const { x, y: yy, label, note, noteX } = entries[i]!;
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
    if (note) ctx.fillText(note, noteX, yy);
  });
  y += Math.ceil(spec.pens.length / columns) * line + line / 2;
  let x = pad;
  [BAND_BAD, BAND_NODATA, UNCERTAIN].forEach((color, i) => {
    ctx.fillStyle = `${color}66`;
    ctx.fillRect(x, y - 6 * r, 22 * r, 12 * r);
    ctx.fillStyle = '#1c1c1c';
    ctx.fillText(spec.legend[i]!, x + 28 * r, y);
    x += 28 * r + ctx.measureText(spec.legend[i]!).width + 24 * r;
  });
  return out;
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
