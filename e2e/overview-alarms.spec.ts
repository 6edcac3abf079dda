/**
 * A gas detector in alarm on the overview, in Chromium against the real simulator and station: a
 * detector at HIGH HIGH looked normal there (only the banner said so). Its tile now shows the
 * alarm of its tag as the banner does: the priority's colour, shape and number, the condition and
 * the state in words (UNACK flashing until acknowledged, then ACK, steady), in each language, and
 * the overview still fits 1280x720.
 */
import { join } from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { runPlantUntil, setInTag, startPlant, type Plant } from './plant.js';
import { createAccount, signIn } from './accounts.js';

test.describe.configure({ mode: 'serial', timeout: 180_000 });

let plant: Plant;
let page: Page;
const PASSWORD = 'correct-horse-battery-9';
const GAS = 'Area1.GD101.Concentration/limit';

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  plant = await startPlant({
    seed: 21,
    // TK101's level limits without their 10 s on-delay (the alarm, not its delay, is what is looked at here).
    configure: (doc) => setInTag(doc, 'Area1.TK101.Level', ['alarms', 'onDelayS'], 0),
  });
  await createAccount(plant.dataDir, 'sam', 'supervisor', PASSWORD, 'Sam Chen');
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
});
test.afterAll(async () => {
  await page?.close();
  await plant?.close();
});

/** Selects the alarm's row in the banner and acknowledges it with F10 (signed in). */
async function ackInBanner(p: Page, id: string): Promise<void> {
  const row = p.getByTestId('banner-list').locator(`[data-alarm-id="${id}"]`);
  await row.click();
  await expect(row).toHaveAttribute('aria-selected', 'true');
  await p.keyboard.press('F10');
}

const tile = () => page.locator('.detector[data-equipment="GD101"]');
const mark = () => tile().getByTestId('tag-alarm');

test('a gas detector at HIGH HIGH shows its alarm on its tile: the P1 mark and UNACK flashing, then ACK steady, the condition in its name; the overview fits 1280x720 in each language', async () => {
  const testInfo = test.info();
  await page.goto(plant.url);
  await expect(tile().locator('[data-tag]')).toHaveAttribute('data-quality', 'good');
  // Normal: no alarm on it, drawn as before.
  await expect(mark()).toHaveCount(0);
  await expect(tile()).not.toHaveClass(/\balarm\b/);

  await plant.triggerOverOpcUa('gasLeak', 'Area1.GD101');
  // ~12 s of the plant's time to rise past HH (20 %LEL): the model is run there at once.
  runPlantUntil(plant.sim, 'GD101 past its HH', () => Number(plant.sim.model.value('Area1.GD101.Concentration')) >= 22);
  await expect(page.getByTestId('banner-list').locator(`[data-alarm-id="${GAS}"]`)).toContainText('HIGH HIGH', { timeout: 60_000 });
  // Unacknowledged: framed in P1's colour, the P1 square flashing, the condition and UNACK (flashing) in words.
  await expect(mark()).toHaveAttribute('data-alarm-id', GAS);
  await expect(mark()).toHaveAttribute('data-state', 'B');
  await expect(tile()).toHaveAttribute('data-alarm-state', 'B');
  await expect(tile()).toHaveClass(/\balarm\b/);
  // The frame in the colour the station gives priority 1 (its mark's fill), not the tile's grey edge.
  const colours = await tile().evaluate((e) => ({ frame: getComputedStyle(e).borderTopColor, p1: getComputedStyle(e.querySelector('svg.mark path')!).fill }));
  expect(colours.frame).toBe(colours.p1);
  expect(colours.frame).not.toBe('rgb(179, 179, 179)');
  await expect(mark().locator('svg.mark')).toHaveAttribute('data-priority', '1');
  await expect(mark().locator('svg.mark')).toHaveAttribute('data-shape', 'square');
  await expect(mark().locator('svg.mark')).toHaveClass(/flash/);
  await expect(mark().locator('[data-badge="unack"]')).toHaveText('UNACK');
  await expect(mark().locator('[data-badge="unack"]')).toHaveClass(/flash/);
  // Flashing as drawn: the mark dims and the word inverts in one half of each second, together.
  const drawn = () => mark().evaluate((m) => {
    const square = getComputedStyle(m.querySelector('svg.mark')!).opacity, word = getComputedStyle(m.querySelector('[data-badge="unack"]')!);
    return `${square} ${word.color} on ${word.backgroundColor}`;
  });
  await expect.poll(drawn).toBe('0.15 rgb(28, 28, 28) on rgb(244, 244, 244)');
  await expect.poll(drawn).toBe('1 rgb(255, 255, 255) on rgb(28, 28, 28)');
  await expect(mark()).toHaveAttribute('aria-label', /^In alarm: HIGH HIGH, P1 Critical, UNACK\. GD101 flammable gas high-high 20 %LEL$/);
  // A keyboard operator on the value reads its alarm too (the mark takes no focus): in the value's
  // accessible name and in the focus line at the foot of the screen.
  await tile().locator('[data-tag]').focus();
  await expect(tile().locator('[data-tag]')).toHaveAttribute('aria-label', /\. In alarm: HIGH HIGH, P1 Critical, UNACK\. GD101 flammable gas high-high 20 %LEL$/);
  await expect(page.getByTestId('value-detail-alarm')).toHaveText('In alarm: HIGH HIGH, P1 Critical, UNACK. GD101 flammable gas high-high 20 %LEL');
  await page.locator('#page').focus();

  // The state in each language's word; the condition and priority in the tooltip and accessible name.
  const words = { en: ['HIGH HIGH', 'UNACK'], ru: ['ВЕРХНИЙ АВАРИЙНЫЙ', 'НЕ КВИТ.'], zh: ['高高', '未确认'] } as const;
  for (const locale of ['en', 'ru', 'zh'] as const) {
    await page.getByTestId('language').selectOption(locale);
    await expect(page.locator('html')).toHaveAttribute('lang', locale);
    await expect(mark().locator('[data-badge="unack"]')).toHaveText(words[locale][1]);
    await expect(mark()).toHaveAttribute('aria-label', new RegExp(`${words[locale][0]}.*P1.*${words[locale][1].replace('.', '\\.')}`));
    await expect(mark()).toHaveAttribute('title', await mark().getAttribute('aria-label') ?? '');
    for (const [w, h] of [[1280, 720], [1920, 1080]] as const) {
      await page.setViewportSize({ width: w, height: h });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      // VIGIL_SHOTS: a folder to keep the screenshots in (test-results is emptied by every run).
      await page.screenshot({ path: join(process.env.VIGIL_SHOTS ?? testInfo.outputPath(), `detector-hh-unack-${locale}-${w}.png`) });
      // The mark whole inside its tile, and the overview not scrolled by it.
      const fit = await tile().evaluate((t) => {
        const box = t.getBoundingClientRect();
        const m = t.querySelector('[data-testid="tag-alarm"]')!.getBoundingClientRect();
        const main = document.getElementById('page')!;
        return { inside: m.left >= box.left && m.right <= box.right + 0.5, scroll: Math.max(0, main.scrollHeight - main.clientHeight) };
      });
      expect(fit, `${locale} at ${w}x${h}`).toEqual({ inside: true, scroll: 0 });
    }
    await page.setViewportSize({ width: 1280, height: 720 });
  }
  await page.getByTestId('language').selectOption('en');

  // Acknowledged: steady (nothing flashes), ACK in words, still framed in P1's colour while active.
  await signIn(page, 'sam', PASSWORD);
  await ackInBanner(page, GAS);
  await expect(mark()).toHaveAttribute('data-state', 'C');
  await expect(mark().locator('[data-badge="ack"]')).toHaveText('ACK');
  await expect(mark().locator('[data-badge="unack"]')).toHaveCount(0);
  await expect(mark().locator('svg.mark')).not.toHaveClass(/flash/);
  await expect(mark().locator('.flash')).toHaveCount(0);
  await expect(tile()).toHaveClass(/\balarm\b/);
  await expect(mark()).toHaveAttribute('aria-label', /^In alarm: HIGH HIGH, P1 Critical, ACK\./);
  for (const [w, h] of [[1280, 720], [1920, 1080]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: join(process.env.VIGIL_SHOTS ?? testInfo.outputPath(), `detector-hh-ack-en-${w}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
});

/**
 * A tank whose level is at HIGH HIGH looked normal on its overview card (only the banner said so).
 * Its level now shows the alarm under its label (the P1 mark and UNACK flashing, then ACK), and a
 * cell in alarm (the tripped high-level switch) its mark in its label's line, with no added height:
 * the overview still fits 1280x720 in each language, and during the OPC UA server's loss.
 */
const LEVEL = 'Area1.TK101.Level/limit';
const SWITCH = 'Area1.TK101.HighLevelSwitch/state';

test('a tank level at HIGH HIGH shows its alarm on its card: the P1 mark beside the level\'s label and UNACK on the line under it, then ACK; a cell\'s mark in its label; the overview fits 1280x720 and 1920x1080 in each language and during a server loss', async ({ browser }) => {
  const testInfo = test.info();
  const shots = process.env.VIGIL_SHOTS ?? testInfo.outputPath();
  const tp = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  try {
    const card = tp.locator('article.tank[data-equipment="TK101"]');
    const levelMark = () => card.locator('.level [data-testid="tag-alarm"]');
    const switchMark = () => card.locator('.cell[data-role="highLevelSwitch"] dt [data-testid="tag-alarm"]');
    await tp.goto(plant.url);
    await expect(card.locator('[data-tag="Area1.TK101.Level"]')).toHaveAttribute('data-quality', 'good');
    await expect(card.getByTestId('tag-alarm')).toHaveCount(0);

    // The inlet sticks open (over OPC UA); the ~8 min of the plant's time to fill the tank past HH
    // (88 %) to its high-level switch (90 %) are run at once.
    await plant.triggerOverOpcUa('overfill', 'Area1.TK101');
    for (let i = 0; i < 5000 && plant.sim.model.value('Area1.TK101.HighLevelSwitch') !== true; i++) plant.sim.model.step();
    expect(plant.sim.model.value('Area1.TK101.HighLevelSwitch')).toBe(true);
    await expect(tp.getByTestId('banner-list').locator(`[data-alarm-id="${LEVEL}"]`)).toContainText('HIGH HIGH', { timeout: 60_000 });

    // The level: the P1 square flashing and UNACK (flashing) under its label, framed in P1's colour.
    await expect(levelMark()).toHaveAttribute('data-alarm-id', LEVEL);
    await expect(levelMark()).toHaveAttribute('data-state', 'B');
    await expect(levelMark().locator('svg.mark')).toHaveAttribute('data-priority', '1');
    await expect(levelMark().locator('svg.mark')).toHaveAttribute('data-shape', 'square');
    await expect(levelMark().locator('svg.mark')).toHaveClass(/flash/);
    await expect(levelMark().locator('[data-badge="unack"]')).toHaveText('UNACK');
    await expect(levelMark().locator('[data-badge="unack"]')).toHaveClass(/flash/);
    await expect(levelMark()).toHaveAttribute('aria-label', /^In alarm: HIGH HIGH, P1 Critical, UNACK\. TK101 Methanol level high-high$/);
    await expect(card.locator('.level')).toHaveClass(/\balarm\b/);
    const colours = await card.locator('.level').evaluate((e) => ({ frame: getComputedStyle(e).boxShadow, p1: getComputedStyle(e.querySelector('svg.mark path')!).fill }));
    expect(colours.frame).toContain(colours.p1);
    // The tripped switch's cell: its mark in the label's line (its word in the tooltip and accessible name).
    await expect(switchMark()).toHaveAttribute('data-alarm-id', SWITCH, { timeout: 60_000 });
    await expect(switchMark().locator('svg.mark')).toHaveClass(/flash/);
    await expect(switchMark()).toHaveAttribute('aria-label', /UNACK/);
    await expect(card.locator('.cell[data-role="highLevelSwitch"]')).toHaveClass(/\balarm\b/);
    // Another tank, not in alarm, drawn as before.
    await expect(tp.locator('article.tank[data-equipment="TK102"]').getByTestId('tag-alarm')).toHaveCount(0);

    /** At one instant: the overview not scrolled, the marks inside their rows, no row taller than the same row of a tank not in alarm, the level's word whole. */
    const fit = () => tp.locator('main').evaluate((main) => {
      const a = main.querySelector('article.tank[data-equipment="TK101"]')!, b = main.querySelector('article.tank[data-equipment="TK102"]')!;
      const h = (e: Element | null) => Math.round((e?.getBoundingClientRect().height ?? -1) * 2) / 2;
      const inside = (e: Element, box: Element) => {
        const r = e.getBoundingClientRect(), o = box.getBoundingClientRect();
        return r.left >= o.left - 0.5 && r.right <= o.right + 0.5 && r.top >= o.top - 1.5 && r.bottom <= o.bottom + 1.5;
      };
      const marks = [...a.querySelectorAll('[data-testid="tag-alarm"]')];
      const word = a.querySelector('.level [data-badge]');
      return {
        scroll: Math.max(0, main.scrollHeight - main.clientHeight, document.documentElement.scrollHeight - innerHeight),
        marks: marks.length,
        outside: marks.filter((m) => !inside(m, m.closest('.level, dt')!)).length,
        levelRow: h(a.querySelector('.level')) - h(b.querySelector('.level')),
        labels: [...a.querySelectorAll('dt')].map(h).filter((x) => x > 14.5),
        card: h(a) - h(b),
        wordCut: word ? word.scrollWidth > word.clientWidth + 1 : null,
        valueCovered: (() => {
          const m = a.querySelector('.level [data-testid="tag-alarm"]')!.getBoundingClientRect(), v = a.querySelector('.level .lv')!.getBoundingClientRect();
          return m.right > v.left + 0.5;
        })(),
      };
    });
    const inEachLanguage = async (when: string, word: Record<'en' | 'ru' | 'zh', string>) => {
      for (const locale of ['en', 'ru', 'zh'] as const) {
        await tp.getByTestId('language').selectOption(locale);
        await expect(tp.locator('html')).toHaveAttribute('lang', locale);
        await expect(levelMark().locator('[data-badge]')).toHaveText(word[locale]);
        await expect(levelMark()).toHaveAttribute('title', (await levelMark().getAttribute('aria-label')) ?? '');
        for (const [w, hh] of [[1280, 720], [1920, 1080]] as const) {
          await tp.setViewportSize({ width: w, height: hh });
          await tp.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
          await tp.screenshot({ path: join(shots, `tank-hh-${when}-${locale}-${w}.png`) });
          expect(await fit(), `${when}: ${locale} at ${w}x${hh}`).toEqual({ scroll: 0, marks: 2, outside: 0, levelRow: 0, labels: [], card: 0, wordCut: false, valueCovered: false });
        }
        await tp.setViewportSize({ width: 1280, height: 720 });
      }
      await tp.getByTestId('language').selectOption('en');
    };
    await inEachLanguage('unack', { en: 'UNACK', ru: 'НЕ КВИТ.', zh: '未确认' });

    // Acknowledged: ACK, steady; the switch's alarm, not acknowledged, still flashes.
    await signIn(tp, 'sam', PASSWORD);
    await ackInBanner(tp, LEVEL);
    await expect(levelMark()).toHaveAttribute('data-state', 'C');
    await expect(levelMark().locator('[data-badge="ack"]')).toHaveText('ACK');
    await expect(levelMark().locator('[data-badge="unack"]')).toHaveCount(0);
    await expect(levelMark().locator('.flash')).toHaveCount(0);
    await expect(levelMark().locator('svg.mark')).not.toHaveClass(/flash/);
    await expect(levelMark()).toHaveAttribute('aria-label', /^In alarm: HIGH HIGH, P1 Critical, ACK\./);
    await expect(card.locator('.level')).toHaveClass(/\balarm\b/);
    await expect(switchMark().locator('svg.mark')).toHaveClass(/flash/);
    await inEachLanguage('ack', { en: 'ACK', ru: 'КВИТ.', zh: '已确认' });

    // The OPC UA server lost: every value aged and COMM, the alarms still on the card, the overview still fits.
    await plant.stopSimulator();
    try {
      await expect(tp.getByTestId('server-lost')).toBeVisible({ timeout: 30_000 });
      await expect(card.locator('[data-tag="Area1.TK101.Level"]')).toHaveAttribute('data-badge', 'COMM');
      await expect(levelMark()).toHaveAttribute('data-alarm-id', LEVEL);
      await inEachLanguage('server-lost', { en: 'ACK', ru: 'КВИТ.', zh: '已确认' });
    } finally {
      await plant.restartSimulator();
    }
  } finally {
    await tp.close();
  }
});
