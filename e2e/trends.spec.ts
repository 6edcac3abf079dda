/**
 * The Trends page in Debian's Chromium against the real station (browser
 * mode) and simulator, over history archived before the station started.
 * Expectations come from the archive itself (read-only ArchiveReader) or
 * from literals, never from the trend code; the CSV is read by Python.
 */
import { test, expect, type Page, type WebSocketRoute } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { join } from 'node:path';
import { startPlant, type Plant } from './plant.js';
import { archiveHistory, HOUR, type ArchivedHistory } from './history.js';
import { ArchiveReader } from '../historian/cli/reader.js';
import { createAccount, signIn } from './accounts.js';
import { holdDownloads } from './held-downloads.js';
import { columnCounts, penRowShare, pressAndRedraw } from './trend-pixels.js';
import { archiveCloseGaps, type GapWindow } from './gap-history.js';

let plant: Plant & { dataDir: string };
let history: ArchivedHistory;
let closeGaps: GapWindow;
const root = new URL('..', import.meta.url).pathname;
const LEVEL = 'Area1.TK101.Level';
/** An operator account made with the accounts CLI: exports and trend groups need its permissions (data.export, trends.saveGroup). */
const OPERATOR = 'olga', PASSWORD = 'correct-horse-battery-9';

test.beforeAll(async () => {
  test.setTimeout(180_000); // certificates, history and a password hash on a busy 2-core machine
  plant = await startPlant({
    seed: 11,
    prepare: async (dataDir, configFile) => {
      history = await archiveHistory(dataDir, configFile);
      closeGaps = await archiveCloseGaps(dataDir, history.start + HOUR / 2);
    },
  });
  await createAccount(plant.dataDir, OPERATOR, 'operator', PASSWORD, 'Olga Ivanova');
});
test.afterAll(async () => {
  await plant?.close();
});

interface PlotBox {
  left: number;
  top: number;
  width: number;
  height: number;
  start: number;
  end: number;
}
const stats = (page: Page) => page.evaluate(() => (globalThis as unknown as { __vigilTrends: { plot: PlotBox; draws: number; range: { generation: number } | null } }).__vigilTrends);
const span = async (page: Page) => {
  const chart = page.getByTestId('trend-chart');
  return { start: Number(await chart.getAttribute('data-range-start')), end: Number(await chart.getAttribute('data-range-end')) };
};

/** Opens a link and waits until its history is drawn (the chart is not loading and has drawn since). */
async function open(page: Page, hash: string): Promise<void> {
  await page.goto(plant.url + hash);
  await expect(page.getByTestId('trends-page')).toBeVisible();
  await settled(page);
}
async function settled(page: Page): Promise<void> {
  await expect(page.getByTestId('trend-chart')).toHaveAttribute('data-loading', 'false', { timeout: 30_000 });
  await expect.poll(async () => (await stats(page))?.range?.generation ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
  await painted(page);
}
/** Two animation frames of the page gone by: what the last change rendered is on screen. */
async function painted(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

/** Linear interpolation between the archived values around t: the historian's raw read, not the trend code. */
function archivedAt(tag: string, t: number): number {
  const r = new ArchiveReader(join(plant.dataDir, 'archive'));
  try {
    const rows = r.readRaw({ tags: tag, start: Math.floor(t) - 60_000, end: Math.ceil(t) + 60_000, pageSize: 1e6 }).rows;
    const after = rows.findIndex((x) => x.t >= t);
    const b = rows[after]!, a = rows[after - 1]!;
    if (b.t === t) return b.value as number;
    return (a.value as number) + (((b.value as number) - (a.value as number)) * (t - a.t)) / (b.t - a.t);
  } finally {
    r.close();
  }
}

test('quick ranges, keys, drag and wheel zoom, pan and back/forward move the view', async ({ page }) => {
  await open(page, `#/trends?tags=${LEVEL}&range=8h`);
  let s = await span(page);
  expect(s.end - s.start).toBe(8 * HOUR);
  await expect(page.getByTestId('trend-keys')).toContainText('Backspace');

  await page.keyboard.press('2'); // last 1 h
  await settled(page);
  s = await span(page);
  expect(s.end - s.start).toBe(HOUR);
  await expect(page.locator('[data-quick="1h"]')).toHaveAttribute('aria-pressed', 'true');

  await page.keyboard.press('ArrowLeft'); // a quarter back
  const panned = await span(page);
  expect(panned.start).toBe(s.start - HOUR / 4);
  expect(panned.end - panned.start).toBe(HOUR);

  await page.keyboard.press('-'); // zoom out twice as wide about the centre
  const out = await span(page);
  expect(out.end - out.start).toBe(2 * HOUR);
  expect((out.start + out.end) / 2).toBe((panned.start + panned.end) / 2);

  // Drag across the middle half of the plot, once it shows that view: the view becomes that half.
  await settled(page);
  await expect.poll(async () => (await stats(page)).plot.end - (await stats(page)).plot.start).toBe(out.end - out.start);
  const box = (await stats(page)).plot;
  const canvas = (await page.getByTestId('trend-chart').locator('canvas').boundingBox())!;
  const x0 = canvas.x + box.left + box.width / 4, x1 = canvas.x + box.left + (box.width * 3) / 4, y = canvas.y + box.top + box.height / 2;
  await page.mouse.move(x0, y);
  await page.mouse.down();
  await page.mouse.move(x1, y, { steps: 8 });
  await page.mouse.up();
  await settled(page);
  const dragged = await span(page);
  const quarter = (out.end - out.start) / 4;
  expect(Math.abs(dragged.start - (out.start + quarter))).toBeLessThan(quarter / 20);
  expect(Math.abs(dragged.end - (out.end - quarter))).toBeLessThan(quarter / 20);

  // The wheel zooms in about the pointer: the time under it stays put.
  const under = dragged.start + ((x0 - canvas.x - box.left) / box.width) * (dragged.end - dragged.start);
  await page.mouse.move(x0, y);
  await page.mouse.wheel(0, -100);
  await settled(page);
  const wheeled = await span(page);
  expect(wheeled.end - wheeled.start).toBeCloseTo((dragged.end - dragged.start) * 0.8, -2);
  const after = wheeled.start + ((x0 - canvas.x - box.left) / box.width) * (wheeled.end - wheeled.start);
  expect(Math.abs(after - under)).toBeLessThan(2000);

  // Shift+drag pans: dragging right by a quarter of the plot goes back a quarter of the span.
  await page.keyboard.down('Shift');
  await page.mouse.move(x0, y);
  await page.mouse.down();
  await page.mouse.move(x0 + box.width / 4, y, { steps: 5 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await settled(page);
  const shifted = await span(page);
  expect(shifted.end - shifted.start).toBe(wheeled.end - wheeled.start);
  expect(Math.abs(shifted.start - (wheeled.start - (wheeled.end - wheeled.start) / 4))).toBeLessThan((wheeled.end - wheeled.start) / 50);

  // Back through every step, then forward again.
  await page.keyboard.press('Backspace');
  expect(await span(page)).toEqual(wheeled);
  await page.keyboard.press('Backspace');
  expect(await span(page)).toEqual(dragged);
  await page.keyboard.press('Shift+Backspace');
  expect(await span(page)).toEqual(wheeled);
  await page.getByTestId('view-back').click();
  expect(await span(page)).toEqual(dragged);

  // Esc: back to the range last chosen; L: live.
  await page.keyboard.press('Escape');
  expect((await span(page)).end - (await span(page)).start).toBe(HOUR);
  await page.keyboard.press('l');
  await expect(page.getByTestId('trends-page')).toHaveAttribute('data-view-mode', 'live');
  await page.keyboard.press('7');
  await settled(page);
  s = await span(page);
  expect(s.end - s.start).toBe(365 * 24 * HOUR);
});

test('Escape in the pen box gives the keyboard back to the page, where the trend keys act (not <body>)', async ({ page }) => {
  await open(page, `#/trends?tags=${LEVEL}&range=8h`);
  const box = page.getByLabel('Add a pen');
  await box.focus();
  await page.keyboard.type('TK2');
  await page.keyboard.press('Escape');
  await expect(box).toHaveValue('');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('page');
  await page.keyboard.press('2'); // last 1 h, a key of the page
  await settled(page);
  const s = await span(page);
  expect(s.end - s.start).toBe(HOUR);
  // A pen's × takes the focus with it: the next pen's × takes it, else the previous one's, else the pen box.
  const TEMP = 'Area1.TK101.Temperature';
  await box.focus();
  await page.keyboard.type(TEMP);
  await page.keyboard.press('Enter');
  const remove = (tag: string) => page.getByRole('button', { name: `Remove ${tag} from the trend`, exact: true });
  await remove(TEMP).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator(`[data-pen="${TEMP}"]`)).toHaveCount(0);
  await expect(remove(LEVEL)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator(`[data-pen="${LEVEL}"]`)).toHaveCount(0);
  await expect(box).toBeFocused();
});

test('the address follows the pens and the view: a reload opens the trend the operator had, not the link it was opened with', async ({ page }) => {
  await open(page, `#/trends?tags=${LEVEL}&range=8h`);
  const TEMP = 'Area1.TK101.Temperature';
  await page.keyboard.press('/');
  await page.keyboard.type(TEMP);
  await page.keyboard.press('Enter');
  await expect(page.locator(`[data-pen="${TEMP}"]`)).toBeVisible();
  await page.locator('#page').focus();
  await page.keyboard.press('4'); // the last 24 h
  await settled(page);
  await expect.poll(() => new URL(page.url()).hash).toBe(`#/trends?tags=${LEVEL},${TEMP}&range=24h`);
  await page.reload();
  await expect(page.getByTestId('trends-page')).toBeVisible();
  await settled(page);
  await expect(page.locator('[data-pen]')).toHaveCount(2);
  await expect(page.locator(`[data-pen="${TEMP}"]`)).toBeVisible();
  const s = await span(page);
  expect(s.end - s.start).toBe(24 * HOUR);
  // A pan is kept by its times.
  await page.locator('#page').focus();
  await page.keyboard.press('ArrowLeft');
  await settled(page);
  const panned = await span(page);
  await expect.poll(() => new URL(page.url()).hash)
    .toBe(`#/trends?tags=${LEVEL},${TEMP}&from=${new Date(panned.start).toISOString()}&to=${new Date(panned.end).toISOString()}`);
});

test('the readout shows the archive\'s own value at the cursor; zoomed in, the trend draws raw samples', async ({ page }) => {
  const from = history.badEnd + 30 * 60_000;
  await open(page, `#/trends?tags=${LEVEL},Area1.TK101.PumpRunning&from=${from}&to=${from + 10 * 60_000}`);
  await expect(page.locator('.res')).toHaveText('raw samples');
  // A past range without a cursor reads its values at the range's end, and says so (not "Latest values").
  await expect(page.getByTestId('readout-time')).toHaveText(/^Values at the end of the view: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  const box = (await stats(page)).plot;
  const canvas = (await page.getByTestId('trend-chart').locator('canvas').boundingBox())!;
  for (const fraction of [0.2, 0.537, 0.81]) {
    await page.mouse.move(canvas.x + box.left + box.width * fraction, canvas.y + box.top + box.height / 2);
    const when = page.getByTestId('readout-time');
    await expect(when).not.toHaveAttribute('data-time', '');
    const t = Number(await when.getAttribute('data-time'));
    const pen = page.locator(`[data-pen="${LEVEL}"]`);
    await expect(pen).toHaveAttribute('data-kind', 'value');
    const shown = Number(await pen.getAttribute('data-value'));
    expect(Math.abs(shown - archivedAt(LEVEL, t))).toBeLessThan(1e-9);
    // The displayed text: the same value with the span's decimals (2) at least and its own digits up to 7 significant, unit and status.
    const own = Number(archivedAt(LEVEL, t).toPrecision(7));
    await expect(pen.locator('.value')).toHaveText(`${own.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 20 })} m`);
    await expect(pen.locator('.status')).toHaveText('Good');
    // Read out too, the focus being on the page: the time and each pen's value with its unit.
    await expect(page.getByTestId('readout-spoken')).toContainText(`${LEVEL} ${own.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 20 })} m`);
    // The pump is discrete: it holds its last state.
    await expect(page.locator('[data-pen="Area1.TK101.PumpRunning"] .value')).toHaveText(/^(RUNNING|STOPPED)$/);
  }
  // Keys move the cursor too.
  const before = Number(await page.getByTestId('readout-time').getAttribute('data-time'));
  await page.keyboard.press('Shift+.');
  await expect.poll(async () => Number(await page.getByTestId('readout-time').getAttribute('data-time'))).toBeGreaterThan(before);
});

test('a sensor failure is a gap with a band: no line crosses it (pixels), and the readout says why', async ({ page }, testInfo) => {
  const pad = 20 * 60_000;
  await open(page, `#/trends?tags=${LEVEL}&from=${history.badStart - pad}&to=${history.badEnd + pad}`);
  // The alarm limits are dashed lines in the pen's colour across the whole plot: off, so only the data line counts.
  await pressAndRedraw(page, 'm');
  await expect(limitsButton(page)).toHaveAttribute('aria-pressed', 'false');
  const box = (await stats(page)).plot;
  const px = (t: number) => box.left + ((t - box.start) / (box.end - box.start)) * box.width;
  const [a, b] = [px(history.badStart), px(history.badEnd)];
  // Columns of the canvas: how many pixels of the pen's colour and of the band's magenta each holds,
  // below the pen's gap lane along the plot's top (16 px at most; in it the pen's colour marks the gap).
  const counts = await columnCounts(page, { top: box.top + LANE + 1, height: box.height - LANE - 1 }, { inside: [a + 3, b - 3], before: [box.left + 5, a - 5] });
  expect(counts.inside.length).toBeGreaterThan(20);
  expect(counts.inside.every((c) => c.pen === 0)).toBe(true);
  // One pen: its bad span is also a band across the plot. Every column of it is hatched but those the grid lines cross (drawn over it).
  expect(counts.inside.filter((c) => c.band > 0).length).toBeGreaterThan(counts.inside.length * 0.9);
  expect(counts.before.filter((c) => c.pen > 0).length).toBeGreaterThan(counts.before.length * 0.9);
  expect(counts.before.every((c) => c.band === 0)).toBe(true);

  const canvas = (await page.getByTestId('trend-chart').locator('canvas').boundingBox())!;
  await page.mouse.move(canvas.x + (a + b) / 2, canvas.y + box.top + box.height / 2);
  const pen = page.locator(`[data-pen="${LEVEL}"]`);
  await expect(pen).toHaveAttribute('data-kind', 'gap');
  await expect(pen.locator('.status')).toHaveText('Bad: BadSensorFailure');
  await expect(pen.locator('.value')).toHaveText('no value');
  const shot = testInfo.outputPath('trend-gap.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('trend-gap', { path: shot, contentType: 'image/png' });
});

/** A gap lane's height at most (CSS px): below it the plot is the pens' lines and the bands across it. */
const LANE = 16;
const pad2 = (n: number) => String(n).padStart(2, '0');
/** The console's English times (en-GB, the machine's zone), written here from the Date's own fields. */
const clockOf = (t: number) => { const d = new Date(t); return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`; };
// English dates are written year first (ISO 8601), a time after a space.
const dateOf = (t: number) => { const d = new Date(t); return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`; };

test('two pens, one failed: its bad span is its own lane, named and in its colour, the other pen drawn through; its entry says so; screenshots at 1280x720 and 1920x1080', async ({ page }, testInfo) => {
  const TEMP = 'Area1.TK101.Temperature';
  for (const [w, h] of [[1280, 720], [1920, 1080]] as const) {
    await page.setViewportSize({ width: w, height: h });
    // 22 min of 1 s samples: raw below 2 a pixel column, so ~660 columns do (24 min needed 720, the whole plot at 1280 px, and one
    // run drew it at 2 s a column).
    await open(page, `#/trends?tags=${LEVEL},${TEMP}&from=${history.badStart - 60_000}&to=${history.badEnd + 60_000}`);
    await expect(page.locator('.res')).toHaveText('raw samples'); // so the gap runs from the archive's first bad sample to its next good one
    const shot = testInfo.outputPath(`trend-two-pens-${w}x${h}.png`);
    await page.screenshot({ path: shot });
    await testInfo.attach(`trend-two-pens-${w}x${h}`, { path: shot, contentType: 'image/png' });
  }
  // The level's entry says what its gap is and when, and its name goes with it for a screen reader and the tooltip.
  const end = dateOf(history.badEnd) === dateOf(history.badStart) ? clockOf(history.badEnd) : `${dateOf(history.badEnd)} ${clockOf(history.badEnd)}`;
  const start = `${dateOf(history.badStart)} ${clockOf(history.badStart)}`;
  const gap = page.locator(`[data-pen="${LEVEL}"] [data-gap]`);
  await expect(gap).toHaveCount(1);
  await expect(gap).toHaveText(`bad quality ${start} – ${end}`);
  await expect(gap).toHaveAttribute('title', `${LEVEL}: bad quality from ${start} to ${end}`);
  await expect(page.getByLabel(`${LEVEL}: bad quality from ${start} to ${end}`)).toBeVisible();
  await expect(page.locator(`[data-pen="${TEMP}"] [data-gap]`)).toHaveCount(0);

  // The limits' dashed lines are in the pens' colours across the plot: off, so only lines, lanes and bands count.
  await pressAndRedraw(page, 'm');
  await expect(limitsButton(page)).toHaveAttribute('aria-pressed', 'false');
  const box = (await stats(page)).plot;
  const px = (t: number) => box.left + ((t - box.start) / (box.end - box.start)) * box.width;
  const [a, b] = [px(history.badStart), px(history.badEnd)];
  const spans = { inside: [a + 3, b - 3] as [number, number], before: [box.left + 5, a - 5] as [number, number] };
  const lane = await columnCounts(page, { top: box.top, height: LANE }, spans);
  const below = await columnCounts(page, { top: box.top + LANE + 1, height: box.height - LANE - 1 }, spans);
  const whole = await columnCounts(page, box, spans);
  const most = (cs: { length: number }) => cs.length * 0.9;
  expect(lane.inside.length).toBeGreaterThan(20);
  // The lane: hatched magenta over the level's blue all along the gap, nothing before it.
  expect(lane.inside.filter((c) => c.band > 0).length).toBeGreaterThan(most(lane.inside));
  expect(lane.inside.filter((c) => c.pen > 0).length).toBeGreaterThan(most(lane.inside));
  expect(lane.before.every((c) => c.band === 0)).toBe(true);
  // Its blue is slanted stripes, not a line along the gap: a flat bar in the pen's colour read as the level held through it.
  expect(await penRowShare(page, { top: box.top, height: LANE }, spans.inside)).toBeLessThan(0.5);
  // Below it no band across the plot (the temperature was good) and no level line; the temperature's line goes on through the gap.
  expect(below.inside.every((c) => c.band === 0 && c.pen === 0)).toBe(true);
  expect(whole.inside.filter((c) => c.green > 0).length).toBeGreaterThan(most(whole.inside));
  expect(below.before.filter((c) => c.pen > 0).length).toBeGreaterThan(most(below.before));

  // At the cursor in the gap: the level is bad, the temperature has its value.
  const canvas = (await page.getByTestId('trend-chart').locator('canvas').boundingBox())!;
  await page.mouse.move(canvas.x + (a + b) / 2, canvas.y + box.top + box.height / 2);
  await expect(page.locator(`[data-pen="${LEVEL}"] .status`)).toHaveText('Bad: BadSensorFailure');
  await expect(page.locator(`[data-pen="${TEMP}"] .status`)).toHaveText('Good');
  await expect(page.locator(`[data-pen="${TEMP}"]`)).toHaveAttribute('data-kind', 'value');
});

test('the time axis\'s last date reads whole at the plot\'s right edge (no axis on the right)', async ({ page }) => {
  // Three whole UTC days: the range's end is a midnight, so the last tick, at the right edge, carries a date.
  const day = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  await open(page, `#/trends?tags=${LEVEL}&from=${new Date(day - 3 * 86_400_000).toISOString()}&to=${new Date(day).toISOString()}`);
  const box = (await stats(page)).plot;
  // Dark pixels (the axis labels' #333) per column of the strip under the plot, counted on the canvas.
  const ink = await page.getByTestId('trend-chart').locator('canvas').evaluate((c: HTMLCanvasElement, top: number) => {
    const r = devicePixelRatio || 1;
    const img = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const cols: number[] = [];
    for (let x = 0; x < c.width; x++) {
      let n = 0;
      for (let y = Math.ceil(top * r) + 8; y < c.height; y++) {
        const i = (y * c.width + x) * 4;
        if (img[i + 3]! > 128 && img[i]! < 110 && img[i + 1]! < 110 && img[i + 2]! < 110) n++; // drawn (the canvas is transparent outside the plot)
      }
      cols.push(n);
    }
    return { cols, ratio: r };
  }, box.top + box.height);
  const w = ink.cols.length;
  const tail = ink.cols.slice(w - Math.round(90 * ink.ratio));
  expect(tail.some((n) => n > 0)).toBe(true); // the last label is drawn there
  expect(ink.cols.slice(w - Math.round(3 * ink.ratio))).toEqual(new Array(Math.round(3 * ink.ratio)).fill(0)); // and ends before the edge
});

const limitsButton = (page: Page) => page.locator('button[aria-keyshortcuts="M"]');

test('a tag\'s alarm limits from the station config are dashed lines at their values; M turns them off and on', async ({ page }) => {
  // The expectation is the config itself: TK101's level HH/H/L/LL and its EU range.
  const tag = (parse(readFileSync(join(root, 'resources/station.yaml'), 'utf8')) as { tags: { name: string; range: [number, number]; alarms?: { limits?: Record<string, { value: number }> } }[] }).tags.find((x) => x.name === LEVEL)!;
  const limits = Object.values(tag.alarms!.limits!).map((l) => l.value);
  expect(limits).toHaveLength(4);
  const from = history.badEnd + 30 * 60_000;
  await open(page, `#/trends?tags=${LEVEL}&from=${from}&to=${from + HOUR}`);
  await expect(page.getByTestId('trend-keys')).toContainText('M');
  await pressAndRedraw(page, 'y'); // the axis is the tag's EU range, so each limit's row is known without the trend code
  const box = (await stats(page)).plot;
  const rowOf = (v: number) => box.top + box.height - ((v - tag.range[0]) / (tag.range[1] - tag.range[0])) * box.height;
  /** For each limit: the share of the plot's columns whose pixels on that row (±1 device px) are the pen's blue. */
  const coverage = () =>
    page.getByTestId('trend-chart').locator('canvas').evaluate((c: HTMLCanvasElement, geo) => {
      const r = devicePixelRatio || 1;
      const img = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      return geo.rows.map((y) => {
        let hit = 0, n = 0;
        for (let x = Math.round(geo.left * r); x < Math.round((geo.left + geo.width) * r); x++, n++) {
          for (const dy of [-1, 0, 1]) {
            const i = ((Math.round(y * r) + dy) * c.width + x) * 4;
            if (img[i + 2]! > img[i]! + 70 && img[i + 2]! > img[i + 1]! + 45) {
              hit++;
              break;
            }
          }
        }
        return hit / n;
      });
    }, { rows: limits.map(rowOf), left: box.left, width: box.width });
  await expect(limitsButton(page)).toHaveAttribute('aria-pressed', 'true'); // shown by default
  for (const share of await coverage()) expect(share).toBeGreaterThan(0.45); // dashes 6 on, 4 off
  await pressAndRedraw(page, 'm');
  await expect(limitsButton(page)).toHaveAttribute('aria-pressed', 'false');
  for (const share of await coverage()) expect(share).toBeLessThan(0.05); // the level (4.6–11.4 m) never reaches them
  await pressAndRedraw(page, 'm');
  await expect(limitsButton(page)).toHaveAttribute('aria-pressed', 'true');
  for (const share of await coverage()) expect(share).toBeGreaterThan(0.45);
  await expect(page.getByTestId('trend-no-limits')).toHaveCount(0);

  // A tag without limit alarms: the page says so instead of drawing nothing silently.
  await open(page, `#/trends?tags=Area1.TK101.InletValve&from=${from}&to=${from + HOUR}`);
  await expect(page.getByTestId('trend-no-limits')).toHaveText('No alarm limits are defined for these pens.');

  // Eight pens on a short screen: four tanks' levels and temperatures have 20 limit labels even with alike ones merged
  // (at 1280x720 they just fit), more than the plot's rows at 1280x600. None is drawn past the plot; the last row says
  // how many have none, the pen list names them.
  await page.setViewportSize({ width: 1280, height: 600 });
  const tanks = ['TK101', 'TK102', 'TK103', 'TK104'].flatMap((t) => [`Area1.${t}.Level`, `Area1.${t}.Temperature`]);
  await open(page, `#/trends?tags=${tanks.join(',')}&from=${from}&to=${from + HOUR}`);
  const drawnLimits = () => page.evaluate(() => (globalThis as unknown as { __vigilTrends: { plot: PlotBox; limitLabels: { text: string; top: number; bottom: number }[]; moreLimits: { text: string; top: number; bottom: number; hidden: string[] } | null } }).__vigilTrends);
  // "+N": N limits, each named in its pen's entry ("Not labelled on the chart (no room): HIGH 17.00 m, LOW 2.00 m").
  // Read together once the layout is done: the pen list filling in after the first draw shortens the plot, which
  // then labels fewer limits (on a loaded machine the chart was read before that redraw, the list after it).
  const unlabelled = async () => {
    const drawn = await drawnLimits();
    const listed = await page.locator('[data-unlabelled-limits]').allTextContents();
    const named = listed.flatMap((text) => text.replace(/^Not labelled on the chart \(no room\): /, '').split(', '));
    return { drawn, named, more: Number(drawn.moreLimits?.text.match(/\d+/)?.[0] ?? 0) };
  };
  await expect.poll(async () => {
    const { named, more } = await unlabelled();
    return more > 0 && named.length === more;
  }, { timeout: 15_000 }).toBe(true);
  const { drawn: { plot, limitLabels, moreLimits }, named } = await unlabelled();
  for (const l of [...limitLabels, ...(moreLimits ? [moreLimits] : [])]) {
    expect(l.top, l.text).toBeGreaterThanOrEqual(plot.top - 0.5);
    expect(l.bottom, l.text).toBeLessThanOrEqual(plot.top + plot.height + 0.5);
  }
  expect(moreLimits?.text).toMatch(/^\+\d+ limits$/);
  expect(named.length).toBe(Number(moreLimits!.text.match(/\d+/)![0]));
  for (const n of named) expect(n).toMatch(/^(HIGH HIGH|HIGH|LOW|LOW LOW) \d+\.\d+\u202f(m|°C)$/);

  // Eight pens of seven units (m, °C, mbar, %, %LEL, state, ppm): a chart about 880 px wide (1280 px screen) shows five
  // axes (80 px each in half its width); the pump's state scale and the ppm detector's draw without one, and say so under the plot.
  await page.setViewportSize({ width: 1280, height: 720 });
  const mixed = ['Area1.TK101.Level', 'Area1.TK101.Temperature', 'Area1.TK101.Pressure', 'Area1.TK101.InletValve', 'Area1.GD101.Concentration', 'Area2.TK201.Level', 'Area1.TK101.PumpRunning', 'Area2.GD201.Concentration'];
  await open(page, `#/trends?tags=${mixed.join(',')}&from=${from}&to=${from + HOUR}`);
  const noAxis = page.getByTestId('trend-no-axis');
  await expect(noAxis.locator('[data-pen]')).toHaveCount(2);
  await expect(noAxis.locator('[data-pen="Area1.TK101.PumpRunning"]')).toHaveText('TK101.PumpRunning 0 – 1');
  await expect(noAxis.locator('[data-pen="Area2.GD201.Concentration"]')).toHaveText(/^GD201\.Concentration -?\d+(\.\d+)? – \d+(\.\d+)?\u202fppm$/);
});

test('like tanks\' alike limit lines share one label in every language: the four level pens at 1280x720 draw the same 8 labels in en, ru and zh', async ({ browser }, testInfo) => {
  // The expectation is the config: tanks whose level limits are the same values share a label per limit, naming both.
  const levels = ['Area1.TK101.Level', 'Area1.TK102.Level', 'Area2.TK201.Level', 'Area2.TK202.Level'];
  const config = parse(readFileSync(join(root, 'resources/station.yaml'), 'utf8')) as { tags: { name: string; alarms?: { limits?: Record<string, { value: number }> } }[] };
  const alike = new Map<string, string[]>();
  for (const name of levels) {
    const key = Object.entries(config.tags.find((x) => x.name === name)!.alarms!.limits!).map(([c, l]) => `${c} ${l.value}`).join();
    alike.set(key, [...(alike.get(key) ?? []), name.split('.').slice(1).join('.')]);
  }
  const expected = [...alike.values()].flatMap((pens) => new Array<string>(4).fill(pens.join(', ')));
  expect(expected).toHaveLength(8); // two pairs of like tanks (TK101/TK102, TK201/TK202)
  const from = history.badEnd + 30 * 60_000;
  for (const locale of ['en', 'ru', 'zh'] as const) {
    // The language chosen before the page loads, as a console left in it starts.
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await context.addInitScript((l) => localStorage.setItem('vigil.locale', l), locale);
    const page = await context.newPage();
    try {
      await open(page, `#/trends?tags=${levels.join(',')}&from=${from}&to=${from + HOUR}`);
      await expect(page.locator('html')).toHaveAttribute('lang', locale);
      const { limitLabels, moreLimits } = await page.evaluate(() => (globalThis as unknown as { __vigilTrends: { limitLabels: { text: string }[]; moreLimits: unknown } }).__vigilTrends);
      const texts = limitLabels.map((l) => l.text);
      expect(moreLimits, locale).toBeNull();
      expect(texts.map((t) => expected.find((pens) => t.startsWith(`${pens} `)) ?? t).sort(), `${locale}: ${texts.join(' | ')}`).toEqual([...expected].sort());
      await shoot(page, testInfo, `trend-alike-limits-${locale}-1280x720`);
    } finally {
      await context.close();
    }
  }
});

/** Python's csv module reads the file and checks its hash (scripts/verify-trend-csv.py). */
function python(file: string): { ok: boolean; problem?: string; rows: number; header: string[][]; columns: string[]; data: string[][] } {
  let out: string;
  try {
    out = execFileSync('python3', [join(root, 'scripts/verify-trend-csv.py'), '--json', file], { encoding: 'utf8', maxBuffer: 1 << 30 });
  } catch (err) {
    out = String((err as { stdout?: string }).stdout);
  }
  return JSON.parse(out);
}

test('a downloaded CSV holds the archive\'s values, value by value, and checks out', async ({ page }) => {
  const from = history.badStart - 5 * 60_000, to = history.badStart + 25 * 60_000;
  await open(page, `#/trends?tags=${LEVEL},Area1.TK101.Temperature&from=${from}&to=${to}`);
  await signIn(page, OPERATOR, PASSWORD);
  await page.keyboard.press('e');
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('export-utc').check();
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('export-start').click()]);
  expect(download.suggestedFilename()).toMatch(/^vigil-trend-Tank-Farm-North-.*-raw\.csv$/);
  const file = await download.path();
  await expect(dialog.getByTestId('export-state')).toHaveAttribute('data-state', 'done');
  const r = python(file);
  expect(r.ok, r.problem).toBe(true);
  // The hash the console showed is the one in the file, and it is the SHA-256 of everything above the last line.
  await expect(dialog.getByTestId('export-sha')).toContainText(createHash('sha256').update(execFileSync('sed', ['$d', file])).digest('hex'));
  expect(r.header).toContainEqual(['# exported by', OPERATOR]);
  expect(r.header).toContainEqual(['# range', new Date(from).toISOString(), new Date(to).toISOString()]);
  const reader = new ArchiveReader(join(plant.dataDir, 'archive'));
  try {
    const expected = [LEVEL, 'Area1.TK101.Temperature'].flatMap((tag) => reader.readRaw({ tags: tag, start: from, end: to - 1, pageSize: 1e6 }).rows);
    expect(r.rows).toBe(expected.length);
    // A bad sample has no value: its cell is empty beside its status (issue 6), never the NaN it is archived with.
    expect(r.data.map((row) => [Date.parse(row[0]!), row[1], row[2] === '' ? null : Number(row[2]), row[4]])).toEqual(
      expected.map((e) => [e.t, e.tag, e.status >>> 30 === 0 ? (e.value as number) : null, e.status >>> 30 === 0 ? 'Good' : 'BadSensorFailure']),
    );
  } finally {
    reader.close();
  }
});

test('a cancelled export leaves no file that looks complete', async ({ page }) => {
  // The download goes through a proxy that holds it after its first bytes, so the cancel certainly lands mid-way.
  const proxy = await holdDownloads(plant.url);
  try {
    const { tag, start, end } = history.bulk;
    await page.goto(proxy.url + `#/trends?tags=${tag}&from=${start}&to=${end}`);
    await settled(page);
    await signIn(page, OPERATOR, PASSWORD);
    await page.keyboard.press('e');
    const dialog = page.getByTestId('export-dialog');
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('export-start').click()]);
    await proxy.held;
    await dialog.getByTestId('export-cancel').click();
    await expect(dialog.getByTestId('export-state')).toHaveAttribute('data-state', 'cancelled');
    proxy.release();
    // The browser saw the download fail: it keeps no file to open.
    expect(await download.failure()).not.toBeNull();
    await expect(download.path()).rejects.toThrow();
  } finally {
    await proxy.close();
  }
});

test('the PNG snapshot holds the chart exactly as drawn, with a title above and every pen in a legend below', async ({ page }) => {
  await open(page, `#/trends?tags=${history.tags.join(',')}&from=${history.badStart - HOUR}&to=${history.badEnd + HOUR}`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('p')]);
  expect(download.suggestedFilename()).toMatch(/\.png$/);
  const png = readFileSync(await download.path());
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])); // the PNG signature
  const colors = await page.locator('[data-pen] .swatch').evaluateAll((els) => els.map((e) => getComputedStyle(e).borderTopColor));
  expect(colors).toHaveLength(history.tags.length);
  // In the page: the image decoded, the chart canvas found in it row for row, and what lies above and below.
  const found = await page.getByTestId('trend-chart').locator('canvas').evaluate(async (c: HTMLCanvasElement, { b64, colors }) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const full = document.createElement('canvas');
    full.width = img.width;
    full.height = img.height;
    const f = full.getContext('2d')!;
    f.drawImage(img, 0, 0);
    const shot = f.getImageData(0, 0, img.width, img.height).data;
    const chart = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    // The chart canvas is transparent where nothing is drawn (the image has a background there): its opaque pixels are compared.
    const opaqueIn = (y: number) => {
      let n = 0;
      for (let x = 0; x < c.width; x++) if (chart[(y * c.width + x) * 4 + 3] === 255) n++;
      return n;
    };
    const sameRow = (shotY: number, y: number) => {
      for (let x = 0; x < c.width; x++) {
        const i = (y * c.width + x) * 4, j = (shotY * img.width + x) * 4;
        if (chart[i + 3] === 255 && (chart[i] !== shot[j] || chart[i + 1] !== shot[j + 1] || chart[i + 2] !== shot[j + 2])) return false;
      }
      return true;
    };
    let key = 0;
    for (let y = 0; y < c.height; y++) if (opaqueIn(y) > opaqueIn(key)) key = y;
    let top = -1;
    for (let y = 0; y + c.height <= img.height && top < 0; y++) if (sameRow(y + key, key)) top = y;
    let equalRows = 0, opaque = 0;
    if (top >= 0) {
      for (let y = 0; y < c.height; y++) {
        opaque += opaqueIn(y);
        if (sameRow(top + y, y)) equalRows++;
      }
    }
    // Pixels of each pen's colour below the chart (the legend), and dark text pixels above it (the title).
    const rgb = colors.map((s) => s.match(/\d+/g)!.map(Number));
    const legend = rgb.map(() => 0);
    for (let i = (top + c.height) * img.width * 4; i < shot.length; i += 4) {
      rgb.forEach(([r, g, b], k) => {
        if (shot[i] === r && shot[i + 1] === g && shot[i + 2] === b) legend[k]!++;
      });
    }
    let title = 0;
    for (let i = 0; i < Math.max(0, top) * img.width * 4; i += 4) if (shot[i]! < 80 && shot[i + 1]! < 80 && shot[i + 2]! < 80) title++;
    return { width: img.width, chartWidth: c.width, top, equalRows, rows: c.height, opaque, legend, title };
  }, { b64: png.toString('base64'), colors });
  expect(found.width).toBe(found.chartWidth);
  expect(found.top).toBeGreaterThan(0);
  expect(found.equalRows).toBe(found.rows);
  expect(found.opaque).toBeGreaterThan(found.chartWidth * 20); // lines and axes, not an empty canvas
  for (const n of found.legend) expect(n).toBeGreaterThan(20);
  expect(found.title).toBeGreaterThan(200);
});

test('trend groups are saved for every user and opened again; a tag opens its trend from the tags page', async ({ page }) => {
  await open(page, `#/trends?tags=${LEVEL},Area2.TK201.Level&range=24h`);
  await signIn(page, OPERATOR, PASSWORD);
  await page.keyboard.press('g');
  const menu = page.getByTestId('group-menu');
  await menu.getByTestId('group-name').fill('E2E two levels');
  await menu.getByRole('button', { name: 'Save' }).click();
  await expect(menu).toContainText('Saved “E2E two levels” for every user.');
  await expect(menu.locator('[data-group="E2E two levels"]')).toBeVisible();

  await page.goto(`${plant.url}#/tags`);
  // Named by what it opens (a screen reader heard "Trend ↗" on every row).
  await expect(page.locator(`[data-trend-link="Area1.TK102.Temperature"]`)).toHaveAccessibleName('Open the trend of Area1.TK102.Temperature');
  await page.locator(`[data-trend-link="Area1.TK102.Temperature"]`).click();
  await expect(page.getByTestId('trends-page')).toBeVisible();
  await expect(page.locator('[data-pen]')).toHaveCount(1);
  await expect(page.locator('[data-pen="Area1.TK102.Temperature"]')).toBeVisible();
  let s = await span(page);
  expect(s.end - s.start).toBe(8 * HOUR);

  await page.keyboard.press('g');
  await page.getByTestId('group-menu').locator('[data-group="E2E two levels"]').click();
  await expect(page.locator('[data-pen]')).toHaveCount(2);
  await settled(page);
  s = await span(page);
  expect(s.end - s.start).toBe(24 * HOUR);
});

test('live: samples are appended as they come and the window scrolls; screenshots at 1280x720 and 1920x1080', async ({ page }, testInfo) => {
  const tags = [...history.tags, 'Area1.TK101.PumpRunning', 'Area1.TK102.Temperature'];
  await page.setViewportSize({ width: 1280, height: 720 });
  await open(page, `#/trends?tags=${tags.join(',')}&live=1h`);
  await expect(page.getByTestId('trends-page')).toHaveAttribute('data-view-mode', 'live');
  const first = await span(page);
  const frames = async () => (await page.evaluate(() => (globalThis as unknown as { __vigilTrends: { samples: number } }).__vigilTrends.samples));
  const before = await frames();
  await expect.poll(frames, { timeout: 10_000 }).toBeGreaterThan(before);
  await expect.poll(async () => (await span(page)).end).toBeGreaterThan(first.end);
  const generation = (await stats(page)).range!.generation;
  // Five more live samples appended and the window scrolled on since: no refetch while it scrolls.
  const appended = await frames();
  const scrolled = (await span(page)).end;
  await expect.poll(frames, { timeout: 30_000 }).toBeGreaterThanOrEqual(appended + 5);
  await expect.poll(async () => (await span(page)).end).toBeGreaterThan(scrolled);
  expect((await stats(page)).range!.generation).toBe(generation);
  for (const [w, h] of [[1280, 720], [1920, 1080]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await open(page, `#/trends?tags=${tags.join(',')}&from=${history.badStart - 2 * HOUR}&to=${Date.now()}`);
    const shot = testInfo.outputPath(`trends-${w}x${h}.png`);
    await page.screenshot({ path: shot });
    await testInfo.attach(`trends-${w}x${h}`, { path: shot, contentType: 'image/png' });
  }
});


/** Where screenshots for a person to look at are copied (test-results is emptied by every run). */
const SHOTS = '/tmp/vigil-trends-shots';
async function shoot(page: Page, testInfo: { outputPath(name: string): string; attach(name: string, o: { path: string; contentType: string }): Promise<void> }, name: string) {
  const shot = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: shot });
  await testInfo.attach(name, { path: shot, contentType: 'image/png' });
  mkdirSync(SHOTS, { recursive: true });
  copyFileSync(shot, join(SHOTS, `${name}.png`));
}

/** The console's link to the station through a route the test can cut (as screens.spec.ts does): `cut` closes it and refuses reconnects. */
async function cuttableLink(page: Page) {
  let blocked = false;
  const open: WebSocketRoute[] = [];
  await page.routeWebSocket(/\/api$/, (ws) => {
    if (blocked) return void ws.close();
    ws.connectToServer();
    open.push(ws);
  });
  return {
    async cut() {
      blocked = true;
      for (const ws of open.splice(0)) await ws.close();
      await expect(page.getByTestId('console-link')).toHaveAttribute('data-state', 'down');
    },
    async mend() {
      blocked = false;
      await expect(page.getByTestId('console-link')).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
    },
  };
}

test('console link lost: the latest values beside the pens say they are not current, never Good; values read at the cursor stay as archived; back to Good with the link', async ({ page }, testInfo) => {
  const TEMP = 'Area1.TK101.Temperature';
  const link = await cuttableLink(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await open(page, `#/trends?tags=${LEVEL},${TEMP}&live=10m`);
  const pens = [LEVEL, TEMP].map((tag) => page.locator(`[data-pen="${tag}"]`));
  for (const pen of pens) await expect(pen.locator('.status')).toHaveText('Good');
  await expect(page.getByTestId('readout-not-current')).toHaveCount(0);

  await link.cut();
  for (const pen of pens) {
    await expect(pen.locator('.status')).toHaveText('NOT CURRENT');
    await expect(pen).toHaveAttribute('data-quality', 'bad');
    await expect(pen).toHaveAttribute('data-current', 'false');
    await expect(pen.locator('.detail')).toHaveText(/^last value at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  }
  // The last value received is still shown, as the overview shows a value held over a lost link.
  await expect(pens[0]!).toHaveAttribute('data-kind', 'value');
  expect(Number(await pens[0]!.getAttribute('data-value'))).toBeGreaterThan(0);
  await expect(page.getByTestId('readout-not-current')).toHaveText(/^NOT CURRENT: console link lost since \d\d:\d\d:\d\d$/);
  await shoot(page, testInfo, 'trend-link-lost-en-1280x720');
  // In the other languages too (switched in the console: no station needed).
  for (const [locale, status] of [['ru', 'НЕ АКТУАЛЬНО'], ['zh', '非实时']] as const) {
    await page.getByTestId('language').selectOption(locale);
    for (const pen of pens) await expect(pen.locator('.status')).toHaveText(status);
    await shoot(page, testInfo, `trend-link-lost-${locale}-1280x720`);
  }
  await page.getByTestId('language').selectOption('en');

  // At the cursor, a time before the loss: the value then, as it was (history, not a claim about now).
  const box = (await stats(page)).plot;
  const canvas = (await page.getByTestId('trend-chart').locator('canvas').boundingBox())!;
  await page.mouse.move(canvas.x + box.left + box.width * 0.9, canvas.y + box.top + box.height / 2);
  await expect(page.getByTestId('readout-time')).not.toHaveAttribute('data-time', '');
  for (const pen of pens) {
    await expect(pen).toHaveAttribute('data-current', 'true');
    await expect(pen.locator('.status')).not.toHaveText('NOT CURRENT');
  }
  await page.mouse.move(canvas.x + box.left + box.width + 200, canvas.y + box.top + box.height + 200); // off the plot: the latest again
  await expect(page.getByTestId('readout-time')).toHaveAttribute('data-time', '');
  await expect(pens[0]!.locator('.status')).toHaveText('NOT CURRENT');

  await link.mend();
  for (const pen of pens) {
    await expect(pen.locator('.status')).toHaveText('Good', { timeout: 30_000 });
    await expect(pen).toHaveAttribute('data-current', 'true');
  }
  await expect(page.getByTestId('readout-not-current')).toHaveCount(0);

  // A range in the archive's past: its latest value in view is history, as archived, link or not.
  const from = history.badEnd + 30 * 60_000, to = from + 10 * 60_000;
  await open(page, `#/trends?tags=${LEVEL},${TEMP}&from=${from}&to=${to}`);
  await expect(pens[0]!.locator('.status')).toHaveText('Good');
  await link.cut();
  await expect(page.getByTestId('link-lost')).toBeVisible();
  // The loss is the page's state (the pens' readout derives from it): rendered with the notice.
  await painted(page);
  for (const pen of pens) {
    await expect(pen).toHaveAttribute('data-current', 'true');
    await expect(pen.locator('.status')).toHaveText('Good');
  }
  const hbox = (await stats(page)).plot;
  await page.mouse.move(canvas.x + hbox.left + hbox.width * 0.4, canvas.y + hbox.top + hbox.height / 2);
  const when = page.getByTestId('readout-time');
  await expect(when).not.toHaveAttribute('data-time', '');
  const t = Number(await when.getAttribute('data-time'));
  await expect(pens[0]!).toHaveAttribute('data-kind', 'value');
  expect(Math.abs(Number(await pens[0]!.getAttribute('data-value')) - archivedAt(LEVEL, t))).toBeLessThan(1e-9);
  await expect(pens[0]!.locator('.status')).toHaveText('Good');
  await link.mend();
});

for (const [w, h] of [[1280, 720], [1920, 1080]] as const) {
  test(`four pens with gaps close together at ${w}x${h}: no gap label covers another, in en, ru and zh; the whole label is the lane's tooltip`, async ({ page }, testInfo) => {
    await page.setViewportSize({ width: w, height: h });
    const words: Record<string, RegExp> = { en: /stale: no communication|bad quality/, ru: /устарело: нет связи|недостоверно/, zh: /过期：通信中断|坏值/ };
    let drawn = 0;
    for (const locale of ['en', 'ru', 'zh'] as const) {
      if (locale === 'en') await open(page, `#/trends?tags=${closeGaps.tags.join(',')}&from=${closeGaps.start}&to=${closeGaps.end}`);
      else {
        drawn = (await stats(page)).draws;
        await page.getByTestId('language').selectOption(locale); // switched live: the chart draws its labels again
      }
      await expect(page.locator('html')).toHaveAttribute('lang', locale);
      await expect(page.locator('[data-pen]')).toHaveCount(4);
      // In the new language, a draw after the switch (a history view: no live draws between).
      if (locale !== 'en') await expect.poll(async () => (await stats(page)).draws).toBeGreaterThan(drawn);
      const { plot, gapLabels: labels } = await page.evaluate(() => (globalThis as unknown as { __vigilTrends: { plot: PlotBox; gapLabels: { pen: string; text: string; left: number; right: number; top: number; bottom: number }[] } }).__vigilTrends);
      // Every pen's lane names at least one of its gaps, in the console's language somewhere.
      for (const tag of closeGaps.tags) expect(labels.filter((l) => l.pen === tag).length, `${locale}: ${tag}`).toBeGreaterThan(0);
      expect(labels.some((l) => words[locale]!.test(l.text)), `${locale}: ${labels.map((l) => l.text).join(' | ')}`).toBe(true);
      // No two labels share a pixel, and each lies in the plot.
      for (const [i, a] of labels.entries()) {
        expect(a.left, a.text).toBeGreaterThanOrEqual(plot.left);
        expect(a.right, a.text).toBeLessThanOrEqual(plot.left + plot.width);
        for (const b of labels.slice(i + 1)) {
          const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
          expect(overlap, `${locale} ${w}x${h}: “${a.text}” [${a.left.toFixed(1)}, ${a.right.toFixed(1)}] over “${b.text}” [${b.left.toFixed(1)}, ${b.right.toFixed(1)}]`).toBe(false);
        }
      }
      await shoot(page, testInfo, `trend-gap-labels-${locale}-${w}x${h}`);
    }
    // A lane's gap, pointed at: its whole label in the tooltip (in the last language, zh), however short its label on the plot.
    const { plot } = await stats(page);
    const px = (t: number) => plot.left + ((t - plot.start) / (plot.end - plot.start)) * plot.width;
    const canvas = (await page.getByTestId('trend-chart').locator('canvas').boundingBox())!;
    const lossAt = closeGaps.start + 16.5 * 60_000;
    await page.mouse.move(canvas.x + px(lossAt + 30_000), canvas.y + plot.top + 5);
    await expect(page.getByTestId('trend-chart').locator('.u-over')).toHaveAttribute('title', `${closeGaps.tags[0]}：过期：通信中断`);
    await page.mouse.move(canvas.x + px(lossAt + 30_000), canvas.y + plot.top + plot.height / 2);
    await expect(page.getByTestId('trend-chart').locator('.u-over')).toHaveAttribute('title', '');
  });
}
