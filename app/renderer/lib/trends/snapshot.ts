/**
 * A PNG of the trend as drawn: a title line with the station, mode and range
 * (with its UTC offset), the chart canvas itself (lines, bands, axes), and a
 * legend of the pens and bands. Saved through a download link, which works
 * the same in browser mode and in the Electron window.
 */
import type uPlot from 'uplot';
import { BAND_BAD, BAND_NODATA, UNCERTAIN } from './overlays.js';

export interface SnapshotSpec {
  title: string;
  pens: { label: string; color: string; dash?: number[] }[];
  /** Texts for the bad, no-data and uncertain marks. */
  legend: [string, string, string];
  fileName: string;
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
  spec.pens.forEach((p, i) => {
    const x = pad + (i % columns) * width;
    const yy = y + Math.floor(i / columns) * line + line / 2;
    ctx.strokeStyle = p.color;
    ctx.lineWidth = 3 * r;
    ctx.setLineDash((p.dash ?? []).map((d) => d * r));
    ctx.beginPath();
    ctx.moveTo(x, yy);
    ctx.lineTo(x + 22 * r, yy);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = '#1c1c1c';
    ctx.fillText(fit(ctx, p.label, width - 40 * r), x + 28 * r, yy);
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

function fit(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let s = text;
  while (s.length > 1 && ctx.measureText(`${s}…`).width > width) s = s.slice(0, -1);
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
