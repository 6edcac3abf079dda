/**
 * The console driven by keyboard and screen reader in Russian (and Chinese), in Debian's Chromium
 * against the real simulator and station (e2e/alarm-config.ts: a page of standing P4 temperature
 * alarms): the focus comes back from every dialog and from the trends' custom range (whose "From"
 * takes it when it opens); the shelve dialog takes a length in Russian units; a new alarm is read
 * out and the banner names its selected row; the server chip shows its detail on focus; and no
 * English is left on the Russian screens (pen readout, gap ledger, loss band, audit roles, node
 * classes, export sizes, priority names).
 */
import { test, expect, type Page } from '@playwright/test';
import { startPlant, type Plant } from './plant.js';
import { addTestAlarms } from './alarm-config.js';
import { createAccount, signIn } from './accounts.js';
import { join } from 'node:path';
import { ArchiveReader } from '../historian/cli/reader.js';

test.describe.configure({ mode: 'serial', timeout: 180_000 });

let plant: Plant;
let page: Page;
const USER = 'konst';
const PASSWORD = 'correct-horse-battery-9';
const LEVEL = 'Area1.TK101.Level';
const PUMP = 'Area1.TK101.PumpRunning';
const GAS = 'Area2.GD201.Concentration/limit';

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000); // certificates and a password hash on a busy 2-core machine
  plant = await startPlant({
    configure: (doc, sim) => {
      // TK101's level limits well above where it is: only the temperatures (P4) stand at the start.
      const i = sim.tags.findIndex((t) => t.name === LEVEL);
      addTestAlarms(doc, (sim.model.currentValues()[i] as number) + 3);
    },
  });
  await createAccount(plant.dataDir, USER, ['supervisor', 'administrator'], PASSWORD, 'Константин Константинопольский');
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
});
test.afterAll(async () => {
  await page?.close();
  await plant?.close();
});

/** Whether the archive holds a value of the tag at or before t (read-only, from its files). */
function archivedBefore(tag: string, t: number): boolean {
  const r = new ArchiveReader(join(plant.dataDir, 'archive'));
  try {
    return r.readRaw({ tags: tag, start: 0, end: t, pageSize: 10 }).rows.length > 0;
  } finally {
    r.close();
  }
}

const level = () => page.locator(`[data-tag="${LEVEL}"]`).first();
const banner = () => page.getByTestId('banner-list');
const bodyHasFocus = () => page.evaluate(() => document.activeElement === null || document.activeElement === document.body);

/** A key as a Russian (ЙЦУКЕН) keyboard sends it: the layout's character on the physical key. */
async function layoutKey(key: string, code: string, keyCode: number) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key, code, text: key, unmodifiedText: key, windowsVirtualKeyCode: keyCode, nativeVirtualKeyCode: keyCode });
  await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key, code, windowsVirtualKeyCode: keyCode, nativeVirtualKeyCode: keyCode });
  await cdp.detach();
}

/** The console open (at `hash`), in Russian, with the user signed in: each test starts from here. */
async function ready(hash = '') {
  if (!page.url().startsWith(plant.url)) await page.goto(plant.url);
  if ((await page.locator('html').getAttribute('lang')) !== 'ru') {
    await page.getByTestId('language').selectOption('ru');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  }
  if ((await page.getByTestId('user-chip').getAttribute('data-user')) !== USER) {
    await expect(level()).toHaveAttribute('data-quality', 'good');
    await signIn(page, USER, PASSWORD);
  }
  if (hash) await page.goto(plant.url + hash);
}

/** Moves the selection to a row of a list with the arrow keys (from the top). */
async function selectByKeys(id: string, list = page.getByTestId('summary-current')) {
  for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowUp');
  for (let i = 0; i < 40; i++) {
    if ((await list.locator(`[data-alarm-id="${id}"]`).getAttribute('aria-selected')) === 'true') return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`${id} could not be selected with the arrows`);
}

test('in Russian, signed in: the standing alarms are not read out when the console opens', async () => {
  await ready('#/overview');
  await page.reload();
  await expect(banner().locator('[data-alarm-id]').first()).toBeVisible({ timeout: 60_000 });
  // The list is read out, or not, as it loads (AlarmAnnouncer's effect, no timer): painted with the banner's
  // rows. Then a live value's next change: updates after the load came and went through too.
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
  const shown = await level().getAttribute('title');
  await expect(level()).not.toHaveAttribute('title', shown ?? '', { timeout: 30_000 });
  await expect(page.getByTestId('alarm-announce-polite')).toHaveAttribute('aria-live', 'polite');
  await expect(page.getByTestId('alarm-announce-polite').locator('p')).toHaveCount(0);
  await expect(page.getByTestId('alarm-announce-assertive').locator('p')).toHaveCount(0);
});

test('the priority marks are named from the catalog; the banner names its selected row', async () => {
  await ready('#/overview');
  await expect(page.locator('[data-testid="unacked-counts"] svg[data-priority="1"]')).toHaveAttribute('aria-label', 'P1 Критический');
  await expect(page.locator('[data-testid="unacked-counts"] svg[data-priority="4"]')).toHaveAttribute('aria-label', 'P4 Низкий');
  await page.keyboard.press('ArrowDown');
  const selected = banner().locator('[role="option"][aria-selected="true"]');
  await expect(selected).toHaveCount(1);
  const id = await selected.getAttribute('id');
  expect(id).toBeTruthy();
  await expect(banner()).toHaveAttribute('aria-activedescendant', id!);
  // What a screen reader hears for the row: one sentence (priority, tag, condition and value, message, state, time), not its cells' fragments.
  const tag = await selected.getAttribute('data-alarm-id');
  await expect(selected).toHaveAccessibleName(new RegExp(`^P4 Низкий: ${tag!.split('/')[0]!.replaceAll('.', '\\.')}, [^.]+\\. .+\\. (не квитирована|квитирована)(, [^,]+)*, \\d{2}:\\d{2}(:\\d{2})?$`));
  await page.keyboard.press('ArrowDown');
  const next = await banner().locator('[role="option"][aria-selected="true"]').getAttribute('id');
  expect(next).not.toBe(id);
  await expect(banner()).toHaveAttribute('aria-activedescendant', next!);
});

test('a new P1 alarm is read out at once, in Russian: priority, tag and condition', async () => {
  await ready();
  await plant.triggerOverOpcUa('gasLeak', 'Area2.GD201');
  await expect(banner().locator(`[data-alarm-id="${GAS}"]`)).toBeVisible({ timeout: 60_000 });
  const assertive = page.getByTestId('alarm-announce-assertive');
  await expect(assertive).toHaveAttribute('aria-live', 'assertive');
  const said = assertive.locator('p', { hasText: 'Area2.GD201.Concentration' });
  await expect(said).toHaveCount(1);
  await expect(said).toContainText('Новая сигнализация, P1 Критический: Area2.GD201.Concentration, верхний аварийный.');
  // The leak stopped before the rising gas trips Area 2's ESD (two more P1 rows would push the
  // P4 temperature alarms the next tests use out of the banner's rows).
  plant.sim.clear();
});

test('the server chip takes the focus by Tab and shows its detail at the foot of the screen', async () => {
  await ready();
  const chip = page.locator('header [data-server="sim"]');
  await page.locator('header nav a').first().focus();
  for (let i = 0; i < 20 && !(await chip.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(chip).toBeFocused();
  const detail = page.getByTestId('focus-detail');
  await expect(detail).toContainText('Сервер OPC UA sim: opc.tcp://');
  await expect(detail).toContainText('на связи');
  await page.keyboard.press('Tab');
  await expect(detail).toHaveCount(0);
});

test('the focus comes back from the sign-in dialog, after Esc and after signing in', async () => {
  await ready('#/overview');
  await level().focus();
  await page.keyboard.press('F12');
  await expect(page.getByTestId('sign-in-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('sign-in-dialog')).toHaveCount(0);
  await expect(level()).toBeFocused();

  await level().focus();
  await signIn(page, USER, PASSWORD);
  await expect(page.getByTestId('sign-in-dialog')).toHaveCount(0);
  await expect(level()).toBeFocused();
});

test('the shelve dialog takes «45 мин» (its own example) and gives the focus back, after Esc and after shelving', async () => {
  await ready('#/overview');
  const value = page.locator('[data-tag="Area1.TK102.Level"]').first();
  await value.focus();
  // The first P4 temperature alarm of the banner (below the P1 gas alarm).
  const selectedId = () => banner().evaluate((el) => el.querySelector('[aria-selected="true"]')?.getAttribute('data-alarm-id') ?? null);
  // Under load the temperature alarms may rise after the page is ready: wait for one in the banner.
  await expect.poll(() => banner().evaluate((el) => el.querySelector('[data-alarm-id$="Temperature/limit"]') !== null)).toBe(true);
  await page.keyboard.press('ArrowUp');
  for (let i = 0; i < 6 && !(await selectedId())?.endsWith('Temperature/limit'); i++) {
    const before = await selectedId();
    await page.keyboard.press('ArrowDown');
    await expect.poll(selectedId).not.toBe(before); // the selection follows its key before the next is read
  }
  const id = (await selectedId())!;
  expect(id).toMatch(/Temperature\/limit$/);
  await page.keyboard.press('F7');
  const dialog = page.getByTestId('shelve-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.locator('input[name="custom"]')).toHaveAttribute('placeholder', '1 ч 30');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(value).toBeFocused();

  await page.keyboard.press('F7');
  await expect(dialog).toBeVisible();
  await page.keyboard.type('Проверка датчика');
  await dialog.locator('input[name="custom"]').focus();
  await page.keyboard.type('45 мин');
  await expect(dialog.locator('input[value="custom"]')).toBeChecked();
  await page.keyboard.press('Enter');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('shelve-problem')).toHaveCount(0);
  await expect(page.getByTestId('alarm-notice')).toContainText('отложена до');
  await expect(value).toBeFocused();
  await page.keyboard.press('F8');
  await page.locator('[data-tab="shelved"]').click();
  await expect(page.getByTestId('summary-shelved').locator(`[data-alarm-id="${id}"]`).getByTestId('time-left')).toHaveText(/(44|45)\s*мин/);
  await page.locator('[data-tab="current"]').click();
});

test('after taking an alarm out of service the focus is on the page, not on <body>', async () => {
  await ready('#/alarms');
  await expect(page.getByTestId('summary-current')).toBeVisible();
  const id = (await page.getByTestId('summary-current').locator('tr[data-alarm-id$="Temperature/limit"]').first().getAttribute('data-alarm-id'))!;
  await selectByKeys(id);
  const oosButton = page.getByTestId('alarm-detail').locator('[data-action="outOfService"]');
  await oosButton.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('oos-dialog');
  await expect(dialog).toBeVisible();
  await page.keyboard.type('Ремонт датчика');
  await page.keyboard.press('Enter');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('summary-current').locator(`[data-alarm-id="${id}"]`)).toHaveCount(0);
  await expect.poll(bodyHasFocus).toBe(false);
});

test('the trends\' custom range: "From" takes the focus when it opens; Enter applies it and the focus is back on its button', async () => {
  await ready(`#/trends?tags=${LEVEL},${PUMP}`);
  await expect(page.getByTestId('trend-chart')).toHaveAttribute('data-loading', 'false', { timeout: 30_000 });
  const open = page.getByTestId('custom-range');
  await open.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('custom-from')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('custom-to')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('custom-from')).toHaveCount(0);
  await expect(open).toBeFocused();

  await page.keyboard.press('Enter');
  await expect(page.getByTestId('custom-from')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('custom-from')).toHaveCount(0);
  await expect(page.getByTestId('trends-page')).toHaveAttribute('data-view-mode', 'history');
  await expect(open).toBeFocused();
});

test('the pen readout writes a discrete value in Russian, and the cursor keys work under a Russian layout', async () => {
  // The last minute, live; the cursor starts mid-view, so the archive must reach back past it: a level archived
  // over 40 s ago, read from the archive itself (at once after the tests before; run alone, this test comes soon
  // after the station's start and waits for the plant's first 40 s).
  await expect.poll(() => archivedBefore(LEVEL, Date.now() - 40_000), { timeout: 120_000 }).toBe(true);
  await ready(`#/trends?tags=${LEVEL},${PUMP}&live=1m`);
  await expect(page.getByTestId('trend-chart')).toHaveAttribute('data-loading', 'false', { timeout: 30_000 });
  await expect(page.locator(`[data-pen="${PUMP}"] .value`)).toHaveText(/^(РАБОТА|СТОП)$/);
  const when = page.getByTestId('readout-time');
  await page.locator('#page').focus();
  await layoutKey('ю', 'Period', 190); // the . key
  await expect(when).not.toHaveAttribute('data-time', '');
  const t1 = Number(await when.getAttribute('data-time'));
  // The live view scrolls on (its end moves, and a draw after it); the cursor stays on the time it was put at
  // (uPlot alone keeps its pixel).
  const chart = page.getByTestId('trend-chart');
  const end = Number(await chart.getAttribute('data-range-end'));
  const draws = () => page.evaluate(() => (globalThis as unknown as { __vigilTrends: { draws: number } }).__vigilTrends.draws);
  await expect.poll(async () => Number(await chart.getAttribute('data-range-end'))).toBeGreaterThan(end);
  const drawn = await draws();
  await expect.poll(draws).toBeGreaterThan(drawn);
  await expect(when).toHaveAttribute('data-time', String(t1));
  await layoutKey('б', 'Comma', 188); // the , key
  await expect.poll(async () => Number(await when.getAttribute('data-time'))).toBeLessThan(t1);
  await expect(page.locator(`[data-pen="${PUMP}"] .value`)).toHaveText(/^(РАБОТА|СТОП)$/);
});

test('the export\'s sizes in Russian units', async () => {
  await ready(`#/trends?tags=${LEVEL},${PUMP}&range=1h`);
  await expect(page.getByTestId('trend-chart')).toHaveAttribute('data-loading', 'false', { timeout: 30_000 });
  await page.keyboard.press('e');
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('export-start').click()]);
  await expect(dialog.getByTestId('export-state')).toHaveAttribute('data-state', 'done');
  await expect(dialog).toContainText(/\d\s?(кБ|МБ)/);
  await expect(dialog).not.toContainText(/\d\s?(kB|MB)/);
  await download.delete();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});

test('the audit trail names roles as the console does', async () => {
  await ready();
  await page.keyboard.press('Alt+5');
  // The user's own entries (sign-in, shelve, out of service): the roles they acted with, by their names (were "supervisor+administrator").
  const role = page.getByTestId('audit-row').filter({ hasText: USER }).locator('.role').first();
  await expect(role).toHaveText('Начальник смены и Администратор');
  // The export the test before made, in Russian words and times: the station keeps "raw, 2026-…Z .. …Z, UTC".
  const exported = page.locator('[data-testid="audit-row"][data-action="trends.export"]').first();
  await expect(exported).toContainText(/исходные значения: \d\d\.\d\d\.\d{4}, \d\d:\d\d:\d\d – \d\d\.\d\d\.\d{4}, \d\d:\d\d:\d\d, часовой пояс /);
  // A target the station names in words wraps between them at 1280 px: «журнал сигнализаций» broke
  // mid-word («сигнали|заций») in the cell where a long id may break anywhere.
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.keyboard.press('F2');
  await page.locator('[data-tab="journal"]').click();
  const [journal] = await Promise.all([page.waitForEvent('download'), page.getByTestId('journal-export').click()]);
  await journal.delete();
  await page.keyboard.press('Alt+5');
  const target = page.locator('[data-testid="audit-row"][data-action="alarms.journalExport"]').first().locator('td').nth(4);
  await expect(target).toHaveText('журнал сигнализаций');
  const brokenWords = await target.evaluate((td) => {
    const text = td.firstChild!;
    return [...(text.textContent ?? '').matchAll(/\S+/g)].filter((m) => {
      const range = document.createRange();
      range.setStart(text, m.index!);
      range.setEnd(text, m.index! + m[0].length);
      return new Set([...range.getClientRects()].map((q) => Math.round(q.top))).size > 1;
    }).map((m) => m[0]);
  });
  expect(brokenWords).toEqual([]);
  await page.setViewportSize(size);
});

test('the tag list and the browse tree in Russian: node id column, node classes', async () => {
  await ready();
  await page.keyboard.press('F4');
  await expect(page.locator('th', { hasText: 'NodeId узла' })).toHaveCount(1);
  await page.getByTestId('tags-tab-browse').click();
  const cls = page.locator('[role="treeitem"] .cls[data-node-class="Object"]').first();
  await expect(cls).toHaveText('Объект');
});

test('a lost server: the band says so in Russian before the library\'s own text; the gap ledger\'s cause is in Russian', async () => {
  await ready('#/tags');
  await page.getByTestId('tags-tab-gaps').click();
  await plant.stopSimulator();
  try {
    const band = page.getByTestId('server-lost');
    await expect(band).toBeVisible({ timeout: 30_000 });
    await expect(band).toContainText(/Причина: [а-яё]|Соединение с сервером потеряно\. Техническая подробность:/);
    const cause = page.getByTestId('gap-ledger').locator('tr.open [data-testid="gap-cause"]').first();
    await expect(cause).toBeVisible();
    await expect(cause).toHaveText(/^[а-яё ,.-]+$/i);
    // The station keeps its own words for it.
    await expect(cause).toHaveAttribute('data-cause', /^[a-z -]+$/);
  } finally {
    await plant.restartSimulator();
  }
  await expect(page.getByTestId('server-lost')).toHaveCount(0, { timeout: 60_000 });
});
