/**
 * "Ack visible page" (Shift+F10) pressed twice within a second, in Chromium against the real
 * simulator, station and alarm engine, at 1280x720 (the banner's three rows). Found by this test:
 * the second press, come while the station had not answered the first, sent the same rows again
 * with the revisions the first was changing, and the station refused it whole ("alarm changed —
 * review", 15 s): the operator was told his alarms had changed, not that they were acknowledged.
 * The station's answer is held (as a loaded station's comes late) by routing the console's socket.
 * Then the press again as the rows that move into view are drawn: what it acknowledges stood on
 * screen for a second before the key, and the answer says how many were left and why.
 */
import { test, expect, type Page, type WebSocketRoute } from '@playwright/test';
import type { Document } from 'yaml';
import { startPlant, type Plant } from './plant.js';
import { createAccount, signIn } from './accounts.js';

test.describe.configure({ mode: 'serial', timeout: 240_000 });

let plant: Plant;
let page: Page;
const PASSWORD = 'correct-horse-battery-9';
/** The rule under test (app/renderer/lib/alarms/seen-rows.ts SEEN_MS): a row drawn for less than this at the key was not read. */
const SEEN_MS = 1000;

/** Every tank temperature alarms above 5 °C at P4, at once: eight standing unacknowledged alarms, the banner shows three. */
function standingTemperatureAlarms(doc: Document): void {
  const tags = (doc.toJS() as { tags: { name: string; role?: string }[] }).tags;
  tags.forEach((t, i) => {
    doc.deleteIn(['tags', i, 'alarms']);
    if (t.role !== 'temperature') return;
    const equipment = t.name.split('.')[1];
    doc.setIn(['tags', i, 'alarms'], doc.createNode({ deadband: 0.5, limits: { H: { value: 5, priority: 4, message: `${equipment} temperature high` } } }));
  });
}

/** The acknowledgements the console sent, and a switch that holds them from the station until released. */
const acks: { ids: string[]; revisions: number[] }[] = [];
let holding = false;
const held: (() => void)[] = [];

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000);
  plant = await startPlant({ configure: standingTemperatureAlarms });
  await createAccount(plant.dataDir, 'olga', 'operator', PASSWORD, 'Olga Ivanova');
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.routeWebSocket(/\/api$/, (ws: WebSocketRoute) => {
    const station = ws.connectToServer();
    ws.onMessage((message) => {
      const call = JSON.parse(String(message)) as { method?: string; params?: { ids: string[]; revisions: number[] } };
      if (call.method === 'alarms.acknowledge') {
        acks.push(call.params!);
        if (holding) return void held.push(() => station.send(message));
      }
      station.send(message);
    });
    station.onMessage((message) => ws.send(message));
  });
  await page.goto(plant.url);
  await signIn(page, 'olga', PASSWORD);
  // Since when each banner row has stood drawn as it is (id and revision; one that leaves is timed
  // again from its return), and the rows Shift+F10 found on screen as it went down: on the page's clock.
  await page.evaluate(() => {
    const w = window as unknown as Judge;
    w.drawn = {};
    w.presses = [];
    w.answers = [];
    const list = document.querySelector('[data-testid="banner-list"]')!;
    const rows = () => [...list.querySelectorAll<HTMLElement>('[data-alarm-id][data-revision]')].map((el) => ({ id: el.dataset.alarmId!, revision: Number(el.dataset.revision), state: el.dataset.state! }));
    const note = () => {
      const now = rows().map((r) => `${r.id}@${r.revision}`);
      for (const key of Object.keys(w.drawn)) if (!now.includes(key)) delete w.drawn[key];
      for (const key of now) w.drawn[key] ??= performance.now();
    };
    new MutationObserver(note).observe(list, { subtree: true, childList: true, attributes: true });
    note();
    // Every answer shown, in order: a refusal shown for a moment and gone would be missed by a look at the end.
    const answer = document.querySelector<HTMLElement>('[data-testid="alarm-notice"]')!;
    new MutationObserver(() => {
      const last = w.answers.at(-1);
      const now = { kind: answer.dataset.kind!, text: answer.textContent!.trim() };
      if (now.kind !== 'none' && (last?.kind !== now.kind || last.text !== now.text)) w.answers.push(now);
    }).observe(answer, { subtree: true, childList: true, characterData: true, attributes: true });
    addEventListener('keydown', (e) => {
      if (e.key === 'F10' && e.shiftKey) w.presses.push({ at: performance.now(), rows: rows(), drawn: { ...w.drawn } });
    }, { capture: true });
  });
});
interface Row { id: string; revision: number; state: string }
interface Judge { drawn: Record<string, number>; presses: { at: number; rows: Row[]; drawn: Record<string, number> }[]; answers: { kind: string; text: string }[] }
test.afterAll(async () => {
  await page?.close();
  await plant?.close();
});

const banner = () => page.getByTestId('banner-list');
const notice = () => page.getByTestId('alarm-notice');
const unackedP4 = () => page.getByTestId('unacked-counts').locator('[data-count][data-priority="4"]');
const bannerRows = () => banner().locator('[data-alarm-id]').evaluateAll((els): Row[] => els.map((e) => ({ id: e.getAttribute('data-alarm-id')!, revision: Number(e.getAttribute('data-revision')), state: e.getAttribute('data-state')! })));
/** The page's clock passes `ms` from `from` (a condition on the clock the rule is written in, not a pause for things to happen). */
const clockPasses = (from: number, ms: number) => page.waitForFunction(([f, m]) => performance.now() - f >= m, [from, ms] as const);
const pageNow = () => page.evaluate(() => performance.now());
const lastPress = () => page.evaluate(() => (window as unknown as Judge).presses.at(-1)!);
const frames = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

test('pressed again before the station answered the first: sent once, no refusal, the answer says what was acknowledged', async () => {
  await expect(unackedP4()).toHaveAttribute('data-count', '8', { timeout: 90_000 });
  await expect(banner().locator('[data-alarm-id][data-state="B"]')).toHaveCount(3);
  const shown = await bannerRows();
  await clockPasses(await pageNow(), SEEN_MS + 100);

  await page.evaluate(() => ((window as unknown as Judge).answers = []));
  holding = true;
  await page.keyboard.press('Shift+F10');
  await expect.poll(() => acks.length).toBe(1);
  expect(acks[0]!.ids.sort()).toEqual(shown.map((r) => r.id).sort());
  // Within the second, the station not yet answered.
  await page.keyboard.press('Shift+F10');
  await frames();
  holding = false;
  for (const send of held.splice(0)) send();

  await expect(notice()).toHaveAttribute('data-kind', 'done');
  await expect(notice()).toContainText('Acknowledged 3 alarms');
  await expect(unackedP4()).toHaveAttribute('data-count', '5');
  // The rows the first press took were not asked for again (the station refused that whole request).
  expect(acks).toHaveLength(1);
  await frames();
  // One answer, the first press's: no refusal after it, nothing said over it.
  const answers = await page.evaluate(() => (window as unknown as Judge).answers);
  expect(answers.map((a) => a.kind)).toEqual(['done']);
  expect(answers[0]!.text).toContain('Acknowledged 3 alarms');
});

/**
 * Presses Shift+F10 and judges what it did by the rule, from what this test saw drawn: it sent the
 * waiting rows that stood a second before the key and no other; its answer names how many it
 * acknowledged and how many it left as come just now.
 */
async function pressAndJudge(unackedBefore: number): Promise<{ sent: number; tooNew: number }> {
  const before = acks.length;
  const answered = await page.evaluate(() => (window as unknown as Judge).answers.length);
  await page.keyboard.press('Shift+F10');
  const press = await lastPress();
  const readable = (r: { id: string; revision: number }) => press.at - (press.drawn[`${r.id}@${r.revision}`] ?? Infinity) >= SEEN_MS;
  const waiting = press.rows.filter((r) => r.state === 'B');
  const tooNew = waiting.filter((r) => !readable(r)).length;
  const ok = waiting.filter(readable);
  // Its answer: the first shown after the key.
  await expect.poll(() => page.evaluate(() => (window as unknown as Judge).answers.length)).toBeGreaterThan(answered);
  const answer = (await page.evaluate(() => (window as unknown as Judge).answers))[answered]!;
  expect(answer.kind).toBe(ok.length === 0 ? 'info' : 'done');
  const sent = acks.length > before ? acks.at(-1)! : { ids: [], revisions: [] };
  expect(acks.length).toBe(before + (ok.length > 0 ? 1 : 0));
  // Nothing the operator had no second to read was sent; what he had was.
  for (const [i, id] of sent.ids.entries()) expect(readable({ id, revision: sent.revisions[i]! }), `${id} sent`).toBe(true);
  expect([...sent.ids].sort()).toEqual(ok.map((r) => r.id).sort());
  // Told what was done and what was left, and why.
  if (ok.length > 0) expect(answer.text).toContain(ok.length === 1 ? 'Acknowledged:' : `Acknowledged ${ok.length} alarms`);
  if (tooNew > 0) expect(answer.text).toContain(`${tooNew} ${tooNew === 1 ? 'alarm came on screen just now and was' : 'alarms came on screen just now and were'} not acknowledged: look, then press again.`);
  if (ok.length === 0 && tooNew === 0) expect(answer.text).toBe('No unacknowledged alarm is visible on this page.');
  await expect(unackedP4()).toHaveAttribute('data-count', String(unackedBefore - ok.length));
  return { sent: ok.length, tooNew };
}

test('pressed again as the rows acknowledged give their places to others: only rows that stood a second are acknowledged, and the answer says how many were left and why', async () => {
  // Right after the first answer: the waiting rows that took the acknowledged ones' places were drawn just now.
  const first = await pressAndJudge(5);
  const after = 5 - first.sent;
  test.info().annotations.push({ type: 'first press', description: JSON.stringify(first) });
  // Once every row has stood a second, the key takes the waiting ones on the banner.
  await expect(unackedP4()).toHaveAttribute('data-count', String(after));
  await frames();
  const waitingNow = (await bannerRows()).filter((r) => r.state === 'B').length;
  expect(waitingNow).toBeGreaterThan(0);
  const newest = Math.max(...Object.values((await page.evaluate(() => (window as unknown as Judge).drawn))));
  await clockPasses(newest, SEEN_MS + 100);
  const second = await pressAndJudge(after);
  expect(second).toEqual({ sent: waitingNow, tooNew: 0 });
});
