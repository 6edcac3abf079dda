/**
 * A shelve an operator made at a condition's OPC UA server that the station then ends (the severity
 * rises to priority 1) while the server refuses the Unshelve: the station shows the alarm, the server
 * (and the DCS display) still hides it. The alarm's row is marked SHELVED AT SERVER, and the alarm
 * detail (reached from the keyboard) says why in the console's language. A real node-opcua A&C server
 * beside the simulator, the real station, Chromium at 1280x720. Expected words written by hand.
 */
import { test, expect, type Page } from '@playwright/test';
import { StatusCodes, type UAMethod } from 'node-opcua';
import { startPlant, type Plant } from './plant.js';
import { createAccount, signIn } from './accounts.js';
import { startTankConditionServer, type TankConditionServer } from '../app/main/alarms/conditions/testing.js';

test.describe.configure({ mode: 'serial', timeout: 180_000 });

let tank: TankConditionServer;
let plant: Plant;
let page: Page;
const PASSWORD = 'correct-horse-battery-9';
const ROW = '[data-alarm-id^="server/tank/"][data-alarm-id$="s=Tank.HighAlarm"]';

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  tank = await startTankConditionServer('e2e-server-shelved', { optionals: ['ShelvingState', 'MaxTimeShelved'], maxTimeShelvedMs: 3_600_000 });
  plant = await startPlant({
    configure: (doc) => {
      doc.addIn(['servers'], doc.createNode({ id: 'tank', endpoint: tank.server.getEndpointUrl(), security: { mode: 'None', policy: 'None' } }));
    },
  });
  await createAccount(plant.dataDir, 'sam', 'supervisor', PASSWORD, 'Sam Chen');
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(plant.url);
  await page.getByTestId('language').selectOption('en');
});
test.afterAll(async () => {
  await page?.close();
  await plant?.close();
  await tank?.stop();
});

const WORDS = {
  en: {
    badge: 'SHELVED AT SERVER',
    why: 'Server tank does not let the station\'s OPC UA user unshelve it (BadUserAccessDenied): it still hides this alarm.',
    label: 'At the server',
  },
  ru: {
    badge: 'ОТЛОЖЕНА НА СЕРВЕРЕ',
    why: 'Сервер tank не разрешает OPC UA-пользователю станции снять откладывание (BadUserAccessDenied): он по-прежнему скрывает эту сигнализацию.',
    label: 'На сервере',
  },
  zh: {
    badge: '服务器上搁置',
    why: '服务器 tank 不允许本站的 OPC UA 用户取消搁置（BadUserAccessDenied）：它仍隐藏此报警。',
    label: '服务器上',
  },
} as const;

test('a server that refuses the station\'s Unshelve: the row is marked, the detail says why, in en, ru and zh', async () => {
  await signIn(page, 'sam', PASSWORD);
  tank.alarm.activateAlarm();
  tank.alarm.raiseNewCondition({ message: 'tank high', severity: 700, quality: StatusCodes.Good, retain: true });
  await page.keyboard.press('F2');
  const row = page.getByTestId('summary-current').locator(ROW);
  await expect(row).toHaveAttribute('data-state', 'B', { timeout: 60_000 });
  await row.click();
  await page.getByTestId('alarm-detail').locator('[data-action="shelve"]').click();
  const dialog = page.getByTestId('shelve-dialog');
  await dialog.locator('input[name="length"][value="30"]').check();
  await dialog.locator('input[name="reason"]').fill('sensor check');
  await dialog.locator('button[type="submit"]').click();
  await expect(dialog).toHaveCount(0);
  await expect(row).toHaveCount(0); // shelved: off the current list
  const shelving = tank.alarm.shelvingState as unknown as { getCurrentState(): string | null; unshelve: UAMethod };
  expect(shelving.getCurrentState()).toBe('TimedShelved');

  shelving.unshelve.bindMethod(async (_args: unknown, _context: unknown) => ({ statusCode: StatusCodes.BadUserAccessDenied }));
  // The trip: priority 1 may not stay shelved; the station ends its shelve and asks the server to.
  tank.alarm.raiseNewCondition({ message: 'tank trip', severity: 900, quality: StatusCodes.Good, retain: true });
  await expect(row.locator('[data-badge="serverShelved"]')).toBeVisible({ timeout: 60_000 });
  expect(shelving.getCurrentState()).toBe('TimedShelved');
  // Selected again (it left the list while shelved): the detail shows the selected row.
  await row.click();
  const detail = page.getByTestId('alarm-detail');
  for (const [locale, words] of Object.entries(WORDS)) {
    await page.getByTestId('language').selectOption(locale);
    await expect(page.locator('html')).toHaveAttribute('lang', locale);
    await expect(row.locator('[data-badge="serverShelved"]')).toContainText(words.badge);
    await expect(row.locator('[data-badge="serverShelved"]')).toHaveAttribute('title', words.why);
    await expect(detail.getByTestId('server-shelved')).toContainText(words.why);
    await expect(detail.locator('dt', { hasText: words.label })).toBeVisible();
    // Whole within the panel: a wide label once pushed the sentence past its right edge, cut off.
    const past = await detail.getByTestId('server-shelved').evaluate((dd) => {
      const panel = dd.closest('[data-testid="alarm-detail"]')!.getBoundingClientRect();
      return Math.max(0, Math.round(dd.getBoundingClientRect().right - panel.right), dd.scrollWidth - dd.clientWidth);
    });
    expect(past, locale).toBe(0);
    await page.screenshot({ path: test.info().outputPath(`server-shelved-${locale}.png`) });
  }
});
