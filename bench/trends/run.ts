/**
 * `npm run bench -- trends [--json] [--quick] [--keep] [--archive DIR]`: the Trends page in
 * Debian's Chromium against the station in browser mode (and its simulator),
 * over an archive of 1 s history written before the station starts.
 *
 *   range change   8 pens, 1 year (quick: 7 days): from the key press to the
 *                  finished draw of the new range (query + transfer + draw), as
 *                  the page measures it (window.__vigilTrends)
 *   live update    16 pens × 24 h in view: the page's cost per frame that
 *                  appends live samples and redraws
 *   CSV export     10 M rows (quick: 1 M) downloaded over HTTP as the browser
 *                  does, against the same rows read and written with a plain
 *                  stream (no quoting, hash or header) in the same run
 *
 * Targets are reported, never asserted: range change <= 150 ms, live update
 * <= 8 ms per frame, export >= 1 M rows/s.
 *
 * VIGIL_BENCH_PROF=FILE writes a CPU profile of the page (Chrome DevTools .cpuprofile) over the
 * last range change.
 *
 * --archive DIR, for profiling: the prefilled archive is copied to DIR (with its end time), and
 * a later run with the same DIR starts from a copy of it instead of archiving again (its "last
 * year" then ends when that archive did). Figures for the record come from a run without it.
 */
import { cpSync, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from '@playwright/test';
import { startPlant } from '../../e2e/plant.js';
import { createAccount } from '../../e2e/accounts.js';
import { ArchiveReader } from '../../historian/cli/reader.js';
import { formatTable, fixed, ratio, si } from '../historian/table.js';
import { prefill } from './dataset.js';
import { measureEncodings, type EncodingFigure } from './encoding.js';
import { downloadExport } from './download.js';

interface Params {
  yearDays: number;
  exportRows: number;
  rangeRuns: number;
  liveSeconds: number;
}
const FULL: Params = { yearDays: 365, exportRows: 10_000_000, rangeRuns: 5, liveSeconds: 20 };
const QUICK: Params = { yearDays: 7, exportRows: 1_000_000, rangeRuns: 3, liveSeconds: 8 };
const DAY = 86_400_000;
const root = new URL('../../', import.meta.url).pathname;
const AREAS = ['Area1.TK101', 'Area1.TK102', 'Area1.TK103', 'Area1.TK104', 'Area2.TK201', 'Area2.TK202', 'Area2.TK203', 'Area2.TK204'];
/** The export is an operator's (data.export): an account made with the accounts CLI, signed in over the console's WebSocket. */
const OPERATOR = { user: 'bench-operator', password: 'correct-horse-battery-9' };
const LEVELS = AREAS.map((a) => `${a}.Level`);
const TEMPERATURES = AREAS.map((a) => `${a}.Temperature`);

const began = performance.now();
const log = (msg: string) => process.stderr.write(`[bench trends +${((performance.now() - began) / 1000).toFixed(0)} s] ${msg}\n`);

export async function runTrendsBench(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, quick: { type: 'boolean' }, keep: { type: 'boolean' }, archive: { type: 'string' } } });
  const p = values.quick ? QUICK : FULL;
  if (!existsSync(join(root, 'dist/renderer/index.html'))) throw new Error('the console is not built: run `npm run build` first');
  log('history column encodings');
  const encodings = measureEncodings(values.quick === true);
  const out = await measure(p, values.keep === true, values.archive ?? null);
  const result = { ...out, encodings, quick: values.quick === true, cpus: cpus().length, node: process.version, durationSeconds: (performance.now() - began) / 1000 };
  const targets = {
    rangeChange: result.rangeChange.medianMs <= 150,
    liveUpdate: result.liveUpdate.p95Ms <= 8,
    exportRowsPerSecond: result.export.rowsPerSecond >= 1e6,
  };
  process.stdout.write(`${report({ ...result, targets })}\n`);
  if (values.json) process.stdout.write(`${JSON.stringify({ ...result, targets })}\n`);
}

async function measure(p: Params, keep: boolean, saved: string | null) {
  const reuse = saved !== null && existsSync(join(saved, 'dataset.json'));
  let dataset = { samples: 0, archived: 0, seconds: 0 };
  let end = Date.now() - 60_000;
  if (reuse) ({ end, dataset } = JSON.parse(readFileSync(join(saved, 'dataset.json'), 'utf8')) as { end: number; dataset: typeof dataset });
  log(reuse ? `reusing the archive in ${saved}` : `archiving ${LEVELS.length} tags x ${p.yearDays} days and ${TEMPERATURES.length} x 1 day of 1 s data`);
  const plant = await startPlant({
    seed: 1,
    prepare: async (dataDir, configFile) => {
      if (reuse) {
        cpSync(join(saved, 'archive'), join(dataDir, 'archive'), { recursive: true });
        return;
      }
      dataset = await prefill(dataDir, configFile, { end, tags: [...LEVELS.map((name) => ({ name, days: p.yearDays })), ...TEMPERATURES.map((name) => ({ name, days: 1 }))] }, log);
      if (saved !== null) {
        cpSync(join(dataDir, 'archive'), join(saved, 'archive'), { recursive: true });
        writeFileSync(join(saved, 'dataset.json'), JSON.stringify({ end, dataset }));
      }
    },
  });
  await createAccount(plant.dataDir, OPERATOR.user, 'operator', OPERATOR.password);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    const rangeChange = await rangeChanges(page, plant.url, p);
    const liveUpdate = await liveFrames(page, plant.url, p);
    await browser.close();
    const exported = await exportRows(plant.url, plant.dataDir, end, p.exportRows);
    return { dataset: { ...dataset, tags: LEVELS.length + TEMPERATURES.length, yearDays: p.yearDays }, rangeChange, liveUpdate, export: exported };
  } finally {
    await browser.close().catch(() => undefined);
    if (keep) log(`kept ${plant.dataDir}`);
    await plant.close();
  }
}

type Stats = { range: { ms: number; generation: number; answerMs: number; buildMs: number } | null; frames: number[]; samples: number };
const stats = (page: Page) => page.evaluate(() => (globalThis as unknown as { __vigilTrends: Stats }).__vigilTrends);

async function waitForDraw(page: Page, after: number): Promise<NonNullable<Stats['range']>> {
  await page.waitForFunction((g) => ((globalThis as unknown as { __vigilTrends?: Stats }).__vigilTrends?.range?.generation ?? 0) > g, after, { timeout: 120_000 });
  return (await stats(page)).range!;
}

/** Long range by key ('7': 1 y, quick '5': 7 d), back to a short one, again: each change loads anew. */
async function rangeChanges(page: Page, url: string, p: Params) {
  const [longKey, shortKey, label] = p.yearDays >= 365 ? ['7', '6', '1 y'] : ['5', '4', '7 d'];
  await page.goto(`${url}#/trends?tags=${LEVELS.join(',')}&range=${p.yearDays >= 365 ? '30d' : '24h'}`);
  await waitForDraw(page, 0);
  const runs: number[] = [];
  const phases: { answerMs: number; buildMs: number }[] = [];
  for (let i = 0; i < p.rangeRuns; i++) {
    const g = (await stats(page)).range!.generation;
    const profile = process.env.VIGIL_BENCH_PROF && i === p.rangeRuns - 1 ? await page.context().newCDPSession(page) : null;
    if (profile) {
      await profile.send('Profiler.enable');
      await profile.send('Profiler.setSamplingInterval', { interval: 100 });
      await profile.send('Profiler.start');
    }
    await page.keyboard.press(longKey);
    const r = await waitForDraw(page, g);
    if (profile) {
      const { profile: data } = await profile.send('Profiler.stop');
      writeFileSync(process.env.VIGIL_BENCH_PROF!, JSON.stringify(data));
      log(`page CPU profile of this change: ${process.env.VIGIL_BENCH_PROF}`);
    }
    runs.push(r.ms);
    phases.push({ answerMs: r.answerMs, buildMs: r.buildMs });
    log(`range change to the last ${label}, 8 pens: ${r.ms.toFixed(0)} ms (station's answer ${r.answerMs.toFixed(0)} ms, traces ${r.buildMs.toFixed(0)} ms)`);
    const g2 = (await stats(page)).range!.generation;
    await page.keyboard.press(shortKey);
    await waitForDraw(page, g2);
  }
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return {
    range: label, pens: LEVELS.length, firstMs: runs[0]!, medianMs: sorted[Math.floor(sorted.length / 2)]!, runs,
    answerMedianMs: mid(phases.map((x) => x.answerMs)), buildMedianMs: mid(phases.map((x) => x.buildMs)),
  };
}

async function liveFrames(page: Page, url: string, p: Params) {
  await page.goto(`${url}#/trends?tags=${[...LEVELS, ...TEMPERATURES].join(',')}&live=24h`);
  await waitForDraw(page, 0);
  await page.waitForTimeout(2000);
  await page.evaluate(() => {
    const s = (globalThis as unknown as { __vigilTrends: Stats }).__vigilTrends;
    s.frames.length = 0;
    s.samples = 0;
  });
  await page.waitForTimeout(p.liveSeconds * 1000);
  const s = await stats(page);
  const sorted = [...s.frames].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  log(`live: ${sorted.length} frames, ${s.samples} samples, median ${fixed(at(0.5))} ms, p95 ${fixed(at(0.95))} ms`);
  return { pens: 16, windowHours: 24, frames: sorted.length, samples: s.samples, medianMs: at(0.5), p95Ms: at(0.95), maxMs: sorted.at(-1) ?? NaN };
}

/** The export as a browser downloads it, then the same rows read and written plainly. */
async function exportRows(url: string, dataDir: string, end: number, rows: number) {
  const spanMs = Math.ceil(rows / LEVELS.length) * 1000;
  const start = end - spanMs;
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-export-'));
  try {
    log(`export: ${si(rows)} rows of ${LEVELS.length} tags over ${fixed(spanMs / DAY, 2)} days`);
    const ours = await downloadExport(url, OPERATOR, { tags: LEVELS, start, end, shape: 'raw', timeZone: null }, join(dir, 'export.csv'));
    log(`export: ${si(ours.rows)} rows in ${fixed(ours.seconds, 1)} s`);
    const plain = await plainStream(join(dataDir, 'archive'), start, end, join(dir, 'plain.csv'));
    log(`plain stream: ${si(plain.rows)} rows in ${fixed(plain.seconds, 1)} s`);
    return {
      rows: ours.rows, bytes: ours.bytes, seconds: ours.seconds, rowsPerSecond: ours.rows / ours.seconds,
      plain: { rows: plain.rows, bytes: plain.bytes, seconds: plain.seconds, rowsPerSecond: plain.rows / plain.seconds },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Baseline: the same raw reads, each row written as `t,tag,value` by a plain stream. */
async function plainStream(archive: string, start: number, end: number, file: string) {
  const t0 = performance.now();
  const reader = new ArchiveReader(archive);
  const out = createWriteStream(file);
  let rows = 0;
  try {
    for (const tag of LEVELS) {
      let continuation: string | null = null;
      do {
        const page = reader.readRaw({ tags: tag, start, end: end - 1, pageSize: 50_000, continuation });
        let text = '';
        for (const r of page.rows) text += `${r.t},${r.tag},${String(r.value)}\n`;
        rows += page.rows.length;
        if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
        continuation = page.continuation;
      } while (continuation !== null);
    }
  } finally {
    reader.close();
    await new Promise<void>((r) => out.end(r));
  }
  return { rows, bytes: statSync(file).size, seconds: (performance.now() - t0) / 1000 };
}

function report(r: {
  dataset: { samples: number; archived: number; seconds: number; tags: number; yearDays: number };
  rangeChange: { range: string; pens: number; firstMs: number; medianMs: number; answerMedianMs: number; buildMedianMs: number };
  liveUpdate: { frames: number; samples: number; medianMs: number; p95Ms: number; maxMs: number };
  export: { rows: number; rowsPerSecond: number; seconds: number; plain: { rowsPerSecond: number } };
  encodings: EncodingFigure[];
  targets: Record<string, boolean>;
  quick: boolean;
  cpus: number;
  node: string;
  durationSeconds: number;
}): string {
  const e = r.export;
  const table = formatTable(
    ['measure', 'trends', 'baseline', 'ratio', 'target'],
    [
      [`range change, ${r.rangeChange.pens} pens, last ${r.rangeChange.range} (ms, median)`, fixed(r.rangeChange.medianMs, 0), '', '', '<= 150'],
      ['  first (cold summaries) (ms)', fixed(r.rangeChange.firstMs, 0), '', '', ''],
      ['  station answer / traces, medians (ms)', `${fixed(r.rangeChange.answerMedianMs, 0)} / ${fixed(r.rangeChange.buildMedianMs, 0)}`, '', '', ''],
      [`live update, 16 pens x 24 h (ms per frame, p95)`, fixed(r.liveUpdate.p95Ms, 2), '', '', '<= 8'],
      ['  median / max (ms)', `${fixed(r.liveUpdate.medianMs, 2)} / ${fixed(r.liveUpdate.maxMs, 2)}`, '', '', ''],
      [`CSV export ${si(e.rows)} rows (rows/s)`, si(e.rowsPerSecond), si(e.plain.rowsPerSecond), fixed(ratio(e.rowsPerSecond, e.plain.rowsPerSecond), 2), '>= 1 M'],
    ],
  );
  const enc = formatTable(
    ['history columns through JSON', 'KiB', 'encode ms', 'decode ms'],
    r.encodings.map((x) => [`${x.answer}: ${x.encoding}`, fixed(x.kib, 0), fixed(x.encodeMs, 2), fixed(x.decodeMs, 2)]),
  );
  return [
    `trends benchmark${r.quick ? ' (quick)' : ''}: ${r.dataset.tags} tags, ${si(r.dataset.samples)} samples of 1 s data (${r.dataset.yearDays} days for 8 of them), ${si(r.dataset.archived)} archived in ${fixed(r.dataset.seconds, 0)} s; ${r.cpus} CPUs, Node ${r.node}`,
    table,
    'baseline: the same rows read from the archive and written as t,tag,value by a plain stream (no quoting, header or hash).',
    `live frames: ${r.liveUpdate.frames}, live samples appended: ${r.liveUpdate.samples}`,
    '',
    enc,
    '',
    `targets: ${Object.entries(r.targets).map(([k, v]) => `${k} ${v ? 'met' : 'NOT met'}`).join(', ')}; run ${fixed(r.durationSeconds, 0)} s`,
  ].join('\n');
}
