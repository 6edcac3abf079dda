/**
 * Data missing upstream and what an upstream's restart check found, on the Sync page in Debian's
 * Chromium against the real station: with two upstreams, each loss names the one it was reported
 * to, and both read in the console's language. The station's sync.sqlite is written before it
 * starts, with the sync's own store and messages (as a station that found them had written it),
 * and one loss from before losses kept their upstream and message, shown as it was stored.
 */
import { test, expect } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { SyncStore } from '../app/main/sync/store/sync-store.js';
import { deletedRecordsText } from '../app/main/sync/streams/sequenced.js';
import { english, text } from '../app/shared/sync-text.js';
import { closedPort } from './closed-port.js';
import { startPlant, type Plant } from './plant.js';

let plant: Plant;
/** An upstream that takes the connection and never answers: the last error its last run wrote stays shown. */
let silent: Server;
const silentSockets = new Set<Socket>();

const at = Date.UTC(2026, 11, 5, 9, 30, 0);
const LONG_LINE = `tf,site=N,area=Area1,tag=TK101.Level value=1.5,status="Good",text="${'x'.repeat(240)}" ${at}000000`;

test.describe.configure({ mode: 'serial', timeout: 120_000 });
test.beforeAll(async () => {
  const [a, b] = [await closedPort(), await closedPort()];
  silent = createServer((s) => { silentSockets.add(s); s.on('close', () => silentSockets.delete(s)); });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const hub = (silent.address() as { port: number }).port;
  plant = await startPlant({
    seed: 32,
    configure: (doc) => {
      doc.set('sync', {
        backlogAlarmAfterSec: 3600,
        upstreams: [
          { id: 'region', url: `http://127.0.0.1:${a}`, flavour: 'victoriametrics' },
          { id: 'backup', url: `http://127.0.0.1:${b}`, flavour: 'victoriametrics' },
          { id: 'hub', url: `http://127.0.0.1:${hub}`, flavour: 'victoriametrics', timeoutMs: 600_000 },
        ],
      });
    },
    prepare: (dataDir) => {
      mkdirSync(dataDir, { recursive: true });
      const store = SyncStore.open(join(dataDir, 'sync.sqlite'));
      store.db.prepare('INSERT INTO loss(stream, detail, at) VALUES (?, ?, ?)').run('samples', 'an old station\'s loss, in English', at - 60_000);
      const deleted = deletedRecordsText('alarms', 3, 6);
      store.addLoss('backup', 'alarms', english(deleted), deleted, at);
      const restarted = text('sync.check.restarted', { upstream: 'region', startedAt: at + 1000 });
      const lost = text('sync.loss.holdsNothing', { reason: restarted, sinceAt: at - 3_600_000 });
      store.addLoss('region', 'samples, alarms', english(lost), lost, at + 2000);
      const check = text('sync.check.result', { reason: restarted, found: text('sync.check.holdsNothing', { sinceAt: at - 3_600_000 }), ranges: 2, lines: 0 });
      store.writeStatus('region', { id: 'region', restarts: 1, restartCheck: { at: at + 2000, message: english(check), text: check } }, at + 2000);
      // An engineer's re-send refused as past the retention, as the last run told it (~400 characters).
      const told = text('sync.cause.resendPastRetention', { lines: 1200, fromAt: at - 7_200_000, toAt: at - 3_600_000, reason: 'HTTP 400: {"error":"partial write: points beyond retention policy dropped=1200"}' });
      store.writeStatus('hub', { id: 'hub', lastError: { at: at + 3000, message: english(told), said: told } }, at + 3000);
      // A quarantined line far longer than its column (cut to one line there).
      store.addQuarantine('backup', 'samples', [{ origin: 'upstream', line: LONG_LINE, reason: 'HTTP 400: unable to parse', key: 'TK101.Level', t: at, record: null }], at);
      store.close();
    },
  });
});
test.afterAll(async () => {
  // The silent upstream first: the station's request to it (10 min timeout) fails at once, and the
  // station, stopped next, has nothing left waiting on it.
  const closed = new Promise((r) => silent?.close(r));
  for (const s of silentSockets) s.destroy();
  await closed;
  await plant?.close();
});

const cases = [
  {
    locale: 'ru',
    backup: /^\d{2}\.\d{2}\.2026, \d{2}:\d{2}:\d{2} · backup · alarms: 4 записи \(alarms 3–6\) удалены на станции до отправки$/,
    region: /^\d{2}\.\d{2}\.2026, \d{2}:\d{2}:\d{2} · region · samples, alarms: сервер region перезапущен в \d{2}\.\d{2}\.2026, \d{2}:\d{2}:\d{2}; на нём нет ничего из подтверждённого после \d{2}\.\d{2}\.2026, \d{2}:\d{2}:\d{2} \(самой старой сохранённой контрольной точки\)/,
    check: /^Что хранится на сервере, проверено \d{2}\.\d{2}\.2026, \d{2}:\d{2}:\d{2}: сервер region перезапущен в .*; повторно отправлено интервалов: 2, строк из карантина: 0$/,
  },
  {
    locale: 'zh',
    backup: /^2026\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} · backup · alarms: 4条记录（alarms 3–6）在发送前已在本站删除$/,
    region: /^2026\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} · region · samples, alarms: 上级服务器 region 于 2026\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} 重启，自 2026\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}（保留的最早检查点）以来确认接收的数据一概没有/,
    check: /^上级服务器所存数据的核对，2026\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}：上级服务器 region 于 .* 重启：.*；已重新发送 2个区间和 0条重试的行$/,
  },
  {
    locale: 'en',
    backup: /^2026-\d{2}-\d{2} \d{2}:\d{2}:\d{2} · backup · alarms: 4 records \(alarms 3–6\) deleted at the station before they were sent$/,
    region: /^2026-\d{2}-\d{2} \d{2}:\d{2}:\d{2} · region · samples, alarms: upstream region restarted at 2026-\d{2}-\d{2} \d{2}:\d{2}:\d{2}, holding nothing it acknowledged since 2026-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \(the oldest check kept\)/,
    check: /^What the upstream holds, checked 2026-\d{2}-\d{2} \d{2}:\d{2}:\d{2}: upstream region restarted at .*; 2 range\(s\) and 0 retried line\(s\) sent again$/,
  },
] as const;

for (const c of cases) {
  test(`each loss names its upstream, and losses and restart checks read in the console's language (${c.locale})`, async ({ page }) => {
    await page.addInitScript((l) => localStorage.setItem('vigil.locale', l), c.locale);
    await page.goto(`${plant.url}#/sync`);
    const losses = page.getByTestId('sync-losses');
    await expect(losses.locator('li')).toHaveCount(3, { timeout: 30_000 });
    const item = async (upstream: string) => ((await losses.locator(`li[data-upstream="${upstream}"]`).textContent()) ?? '').replace(/\s+/g, ' ').trim();
    expect(await item('backup')).toMatch(c.backup);
    expect(await item('region')).toMatch(c.region);
    // The loss from before: its stored English, no upstream to name.
    await expect(losses.locator('li').first()).toHaveText(/· samples: an old station's loss, in English$/);
    await expect(losses.locator('li').first()).not.toHaveAttribute('data-upstream');
    // Only region's status has a check (the one its last run wrote).
    const check = page.getByTestId('sync-restart-check');
    await expect(check).toHaveCount(1, { timeout: 30_000 });
    expect(((await check.textContent()) ?? '').replace(/\s+/g, ' ').trim()).toMatch(c.check);
    // A quarantined line cut in its column: a keyboard reaches it (Tab), Enter shows it whole, in every language.
    const cell = page.getByTestId('sync-quarantine').locator('tbody tr').first().locator('td').last();
    const summary = cell.locator('summary');
    expect(await summary.evaluate((e) => (e as HTMLElement).tabIndex), 'in the Tab order').toBe(0);
    const cut = await summary.evaluate((e) => e.scrollWidth > e.clientWidth);
    await summary.focus();
    await page.keyboard.press('Enter');
    await expect(cell.locator('details')).toHaveAttribute('open', '');
    expect(await summary.evaluate((e) => e.scrollWidth <= e.clientWidth && (e.textContent ?? '') === e.closest('td')!.textContent), 'the whole line shown').toBe(true);
    expect(cut, 'cut to one line before').toBe(true);
    await expect(summary).toHaveText(LONG_LINE);
    if (c.locale !== 'ru') return;
    // A long last error has a row of its own at 1280 px: in its column it made the upstream's row ~400 px tall.
    await page.setViewportSize({ width: 1280, height: 720 });
    const told = page.getByTestId('sync-last-error');
    await expect(told).toHaveCount(1);
    await expect(told).toHaveText(/^Последняя ошибка, .*: 1\s200 строк из интервала, заданного для повторной отправки/);
    const row = await page.locator('tr[data-upstream="hub"]').boundingBox();
    expect(row?.height, 'the hub upstream row at 1280 px').toBeLessThan(120);
  });
}
