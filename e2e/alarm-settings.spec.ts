/**
 * The engineer's alarm settings editor, by keyboard, in Debian's Chromium against the real
 * simulator and station (e2e/alarm-config.ts): an engineer raises a standing temperature alarm's
 * H limit and widens its deadband from the alarm detail (in Russian: a decimal comma), the form
 * refuses an out-of-range limit and a missing comment before sending, both settings go in one
 * edit (alarms.editSettings) that the station writes to the config file (read here from disk),
 * the alarm returns to normal on the new limit, and the audit trail has the one change with both
 * settings (the audit page, and the audit CLI's export). A frozen-value alarm's window is named by
 * its label and described by its duration, to the digit typed; Escape on a form with something typed
 * asks before discarding it. An operator is not offered the editor.
 * At 1280x720 the detail's actions are on screen without scrolling.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { test, expect, type Page } from '@playwright/test';
import { startPlant, type Plant } from './plant.js';
import { addTestAlarms } from './alarm-config.js';
import { createAccount, signIn } from './accounts.js';
import { CsvTokenizer } from '../historian/csv/tokenize.js';

test.describe.configure({ mode: 'serial', timeout: 180_000 });

let plant: Plant;
let page: Page;
const PASSWORD = 'correct-horse-battery-9';
const TAG = 'Area1.TK101.Temperature';
const TEMP = `${TAG}/limit`;
/** A frozen-value alarm, tripped at the start: its window (3 s) is the dialog's one field with a duration beside it. */
const FROZEN_TAG = 'Area1.TK102.Level';
const FROZEN = `${FROZEN_TAG}/frozen`;
const root = new URL('..', import.meta.url).pathname;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  plant = await startPlant({
    configure: (doc, sim) => {
      const i = sim.tags.findIndex((t) => t.name === 'Area1.TK101.Level');
      addTestAlarms(doc, sim.model.currentValues()[i] as number);
      const frozen = (doc.toJS() as { tags: { name: string }[] }).tags.findIndex((t) => t.name === FROZEN_TAG);
      doc.setIn(['tags', frozen, 'alarms'], doc.createNode({ frozen: { afterS: 3, priority: 3, message: 'TK102 level transmitter frozen' } }));
    },
  });
  await plant.triggerOverOpcUa('frozen', FROZEN_TAG);
  await createAccount(plant.dataDir, 'eng', 'engineer', PASSWORD, 'Erik Engineer');
  await createAccount(plant.dataDir, 'olga', 'operator', PASSWORD, 'Olga Ivanova');
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
});
test.afterAll(async () => {
  await page?.close();
  await plant?.close();
});

const summaryRow = (id: string) => page.getByTestId('summary-current').locator(`[data-alarm-id="${id}"]`);
const detail = () => page.getByTestId('alarm-detail');
const dialog = () => page.getByTestId('settings-dialog');
const notice = () => page.getByTestId('alarm-notice');

/** TK101's temperature alarm as the config file on disk has it. */
function tempAlarmOnDisk(): { limits: { H: { value: number } }; deadband: number } {
  const config = parse(readFileSync(plant.configFile, 'utf8')) as { tags: { name: string; alarms: { limits: { H: { value: number } }; deadband: number } }[] };
  return config.tags.find((t) => t.name === TAG)!.alarms;
}

/** RFC 4180 by the historian's tokenizer (an independent reader), as objects by the header's names. */
function csvRows(csv: string): Record<string, string>[] {
  const records: string[][] = [];
  const tk = new CsvTokenizer({ record: (f) => records.push(f), badRecord: (line, _e, _f, message) => { throw new Error(`CSV line ${line}: ${message}`); } }, ',');
  tk.push(csv);
  tk.end();
  const [header, ...rest] = records;
  return rest.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

/** Selects a row of the summary's current list with the arrow keys (from the top). */
async function selectByKeys(id: string) {
  await expect(summaryRow(id)).toBeVisible({ timeout: 60_000 });
  for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowUp');
  for (let i = 0; i < 40; i++) {
    if ((await summaryRow(id).getAttribute('aria-selected')) === 'true') return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`${id} could not be selected with the arrows`);
}

/** Tab until the named field of the dialog has the focus (the keyboard's way there). */
async function tabTo(name: string) {
  for (let i = 0; i < 12; i++) {
    if (await dialog().locator(`[name="${name}"]`).evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${name}`);
}

/** The detail's actions are in the window, the page and the panel unscrolled. */
async function expectInView(action: string) {
  const box = await detail().locator(`[data-action="${action}"]`).boundingBox();
  expect(box, action).not.toBeNull();
  expect(box!.y + box!.height, `${action} below the fold`).toBeLessThanOrEqual(720);
  expect(await page.evaluate(() => document.scrollingElement?.scrollTop ?? 0)).toBe(0);
}

test('an engineer raises a limit by keyboard: checked first, written to the file, acted on, audited', async () => {
  await page.goto(plant.url);
  await page.getByTestId('language').selectOption('ru');
  await signIn(page, 'eng', PASSWORD);
  await page.keyboard.press('F8');
  await selectByKeys(TEMP);
  await expect(summaryRow(TEMP)).toHaveAttribute('data-state', 'B');
  expect(tempAlarmOnDisk().limits.H.value).toBe(5);
  const commentLines = readFileSync(plant.configFile, 'utf8').split('\n').filter((l) => l.trimStart().startsWith('#'));
  expect(commentLines.length).toBeGreaterThan(0);

  // Offered to the engineer, on screen at 1280x720 without scrolling.
  await expect(detail().locator('[data-action="settings"]')).toHaveText(/Изменить настройки…\s*E/);
  await expectInView('settings');

  await page.keyboard.press('e');
  await expect(dialog()).toBeVisible();
  const h = dialog().locator('[name="limit-H"]');
  await expect(h).toBeFocused();
  await expect(h).toHaveValue('5');
  // The tag's unit and EU range beside the value (the simulator's config: -20 … 60 °C).
  await expect(dialog().locator('tr[data-condition="H"] .unit')).toHaveText('°C');
  await expect(dialog().getByTestId('settings-range')).toHaveText(/Диапазон тега: .20 … 60\s°C/);

  // Out of the tag's range, and no comment: said at once, nothing sent.
  await page.keyboard.press('Control+A');
  await page.keyboard.type('75');
  await page.keyboard.press('Enter');
  const problem = dialog().getByTestId('settings-problem');
  await expect(problem).toContainText('H 75\u202f°C вне диапазона тега -20 … 60\u202f°C');
  await expect(problem).toContainText('Нужен комментарий: укажите причину изменения.');
  await expect(h).toHaveAttribute('aria-invalid', 'true');
  // The field says why to a screen reader as it takes the focus: the problem is its description.
  await expect(h).toHaveAccessibleDescription(/H 75\s°C вне диапазона тега/);
  expect(tempAlarmOnDisk().limits.H.value).toBe(5);

  // A decimal comma, as Russian writes it; the deadband and the comment by Tab.
  await page.keyboard.press('Control+A');
  await page.keyboard.type('55,5');
  await expect(problem).toHaveCount(0);
  await tabTo('deadband');
  await expect(dialog().locator('[name="deadband"]')).toHaveValue('0,5');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('1');
  await tabTo('comment');
  await page.keyboard.type('MOC-118: test limit above ambient');
  await page.keyboard.press('Enter');
  await expect(dialog()).toBeHidden();
  // Both settings saved by one edit.
  await expect(notice()).toHaveAttribute('data-kind', 'done');
  await expect(notice()).toContainText('сохранено 2 изменения');
  // The focus is given back (focus-return.ts), never left on the page's <body>, where Tab starts over.
  expect(await page.evaluate(() => document.activeElement !== null && document.activeElement !== document.body)).toBe(true);

  // Written to the station's config file, its comments kept.
  await expect.poll(() => tempAlarmOnDisk().limits.H.value).toBe(55.5);
  expect(tempAlarmOnDisk().deadband).toBe(1);
  expect(readFileSync(plant.configFile, 'utf8').split('\n').filter((l) => l.trimStart().startsWith('#'))).toEqual(commentLines);
  // The alarm acts on it at once: the temperature is below 55.5 °C, so it returned to normal (unacked: RTN).
  await expect(summaryRow(TEMP)).toHaveAttribute('data-state', 'D', { timeout: 30_000 });
  // The detail shows the new setting (the station pushed the definitions).
  await expect(detail().locator('.lim').first()).toHaveText(/^ВЕРХНИЙ 55,5\s?°C P4$/);

  // A frozen-value alarm's window: the field is named by its label alone (the duration beside it was
  // said as part of the name), described by the duration, to the digit typed ("1,5 с" read "2 с"),
  // and by the problem too. Escape with something typed asks first; Escape again keeps the typing.
  await selectByKeys(FROZEN);
  await page.keyboard.press('e');
  const win = dialog().locator('[name="frozenAfterS"]');
  await expect(win).toHaveValue('3');
  await tabTo('frozenAfterS');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('1,5');
  await expect(dialog().getByTestId('settings-frozen-duration')).toHaveText('1,5\u00a0с');
  await expect(win).toHaveAccessibleName('Зависло через, с');
  await expect(dialog().locator('[name="priority-FROZEN"]')).toHaveAccessibleName('Приоритет: ЗАВИСЛО');
  await expect(win).toHaveAccessibleDescription(/^1,5\s+с$/);
  const discard = dialog().getByTestId('settings-discard');
  const keepEditing = discard.getByRole('button', { name: 'Продолжить редактирование (Esc)' });
  await page.keyboard.press('Escape');
  await expect(discard).toBeVisible();
  await expect(keepEditing).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(discard).toHaveCount(0);
  await expect(win).toBeFocused();
  await expect(win).toHaveValue('1,5');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('700000');
  await page.keyboard.press('Enter');
  await expect(win).toHaveAccessibleDescription(/Окно зависания .* указано 700\s000 с\.\s+8\s+д\s+2\s+ч\s+26\s+мин\s+40\s+с$/);
  // Typing again answers the question: Save is back (Enter in a field saves). Cancel asks as Escape does.
  await page.keyboard.press('Escape');
  await expect(discard).toBeVisible();
  await win.press('End');
  await win.press('Backspace');
  await expect(discard).toHaveCount(0);
  await expect(dialog().locator('button[type="submit"]')).toBeVisible();
  await dialog().locator('.buttons button[type="button"]').click();
  await expect(keepEditing).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(discard).toHaveCount(0);
  // Asked again: "discard" closes, nothing saved (the audit trail below has the one edit); untouched, Escape closes at once.
  await page.keyboard.press('Escape');
  await expect(keepEditing).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
  await expect(dialog()).toBeHidden();
  await page.keyboard.press('e');
  await expect(win).toHaveValue('3');
  await page.keyboard.press('Escape');
  await expect(dialog()).toBeHidden();

  // The audit page has the change, with the user and the comment.
  await page.keyboard.press('Alt+5');
  const audited = page.getByTestId('audit-row').and(page.locator('[data-action="alarms.editSettings"][data-result="ok"]')).first();
  await expect(audited).toContainText('eng');
  await expect(audited).toContainText('MOC-118: test limit above ambient');
  await expect(audited).toContainText(TEMP);

  // And the trail itself, read by the audit CLI: one entry, the old and new value of every setting, the engineer, the comment.
  const out = mkdtempSync(join(tmpdir(), 'vigil-audit-'));
  try {
    const file = join(out, 'audit.csv');
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'app/main/accounts/cli/audit.ts'), 'export', '--out', file, '--data', plant.dataDir, '--action', 'alarms.'],
      { cwd: root, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const rows = csvRows(readFileSync(file, 'utf8'));
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({ user: 'eng', role: 'engineer', action: 'alarms.editSettings', target: TEMP, comment: 'MOC-118: test limit above ambient', result: 'ok' });
    // The paths under the tag's alarms block (tags.<i>.alarms.…): a deadband in units drops any in % of span.
    const settings = (json: string) => Object.fromEntries(Object.entries(JSON.parse(json) as Record<string, unknown>).map(([k, v]) => [k.replace(/^tags\.\d+\.alarms\./, ''), v]));
    expect(settings(row!.old_value!)).toEqual({ 'limits.H.value': 5, deadbandPercent: null, deadband: 0.5 });
    expect(settings(row!.new_value!)).toEqual({ 'limits.H.value': 55.5, deadbandPercent: null, deadband: 1 });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('an operator is not offered the editor: its key names the permission it needs', async () => {
  await page.getByTestId('language').selectOption('en');
  await signIn(page, 'olga', PASSWORD);
  await page.keyboard.press('F8');
  await selectByKeys(TEMP);
  await expect(detail().locator('[data-action="ack"]')).toBeVisible();
  await expect(detail().locator('[data-action="settings"]')).toHaveCount(0);
  // Her actions are on screen at 1280x720 without scrolling too.
  await expectInView('ack');
  await page.keyboard.press('e');
  await expect(notice()).toHaveAttribute('data-kind', 'refused');
  await expect(notice()).toHaveText('olga may not do this: it needs the permission “Change alarm settings”.');
  await expect(dialog()).toHaveCount(0);
  expect(tempAlarmOnDisk().limits.H.value).toBe(55.5);
});

test('a form open while another engineer saves: Save sends only what was typed; a value both changed is said first', async ({ browser }) => {
  await createAccount(plant.dataDir, 'eng2', 'engineer', PASSWORD, 'Eva Engineer');
  const other = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  try {
    await other.goto(plant.url);
    await signIn(other, 'eng2', PASSWORD);
    await signIn(page, 'eng', PASSWORD);
    const onDisk = () => parse(readFileSync(plant.configFile, 'utf8')) as { tags: { name: string; alarms: { limits: { H: { value: number } }; onDelayS?: number } }[] };
    const temp = () => onDisk().tags.find((t) => t.name === TAG)!.alarms;
    const start = temp().limits.H.value;
    /** The other engineer sets H on her own console (the settings dialog, by keyboard). */
    const otherSetsH = async (value: string, comment: string) => {
      await other.goto(`${plant.url}#/alarms`);
      await other.getByTestId('summary-current').locator(`[data-alarm-id="${TEMP}"]`).click();
      await other.keyboard.press('e');
      const d = other.getByTestId('settings-dialog');
      await expect(d.locator('[name="limit-H"]')).toBeFocused();
      await other.keyboard.press('Control+A');
      await other.keyboard.type(value);
      await d.locator('[name="comment"]').fill(comment);
      await other.keyboard.press('Enter');
      await expect(d).toBeHidden();
    };

    await page.keyboard.press('F8');
    await selectByKeys(TEMP);
    await page.keyboard.press('e');
    const h = dialog().locator('[name="limit-H"]');
    await expect(h).toHaveValue(String(start));
    await otherSetsH(String(start + 1), 'MOC-120: her change');
    await expect.poll(() => temp().limits.H.value).toBe(start + 1);
    // The untouched H of the open form follows her save; only the on-delay typed here is sent.
    await expect(h).toHaveValue(String(start + 1));
    await tabTo('onDelayS');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('7');
    await tabTo('comment');
    await page.keyboard.type('MOC-121: his change');
    await page.keyboard.press('Enter');
    await expect(dialog()).toBeHidden();
    await expect.poll(() => temp().onDelayS).toBe(7);
    expect(temp().limits.H.value).toBe(start + 1); // had gone back to `start` under his name

    // Both change H: his Save says hers first, with her value; a second Save keeps his.
    await selectByKeys(TEMP);
    await page.keyboard.press('e');
    await expect(h).toBeFocused();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(String(start + 3));
    await otherSetsH(String(start + 2), 'MOC-122: her second change');
    await expect.poll(() => temp().limits.H.value).toBe(start + 2);
    await tabTo('comment');
    await page.keyboard.type('MOC-123: his second change');
    await page.keyboard.press('Enter');
    await expect(dialog().getByTestId('settings-problem')).toHaveText(`HIGH limit was changed to ${start + 2} by someone else while this form was open: check it, then save again.`);
    expect(temp().limits.H.value).toBe(start + 2);
    await expect(h).toBeFocused(); // the keyboard at the field the problem is about, not left in Comment
    await page.keyboard.press('Enter');
    await expect(dialog()).toBeHidden();
    await expect.poll(() => temp().limits.H.value).toBe(start + 3);
  } finally {
    await other.close();
  }
});
