/**
 * What an operator and an engineer see of the acquisition, in Chromium
 * against the real simulator and station: a tag whose type does not fit its
 * kind and an unknown node, with their reasons; a failed sensor showing its
 * last good value and age; browsing the server; the certificates and the gap
 * ledger after the server was lost and came back.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { startPlant, type Plant } from './plant.js';
import { createAccount, signIn } from './accounts.js';

let plant: Plant;
const PASSWORD = 'correct-horse-battery-9';

test.beforeAll(async () => {
  plant = await startPlant({ seed: 13, configure: (doc) => {
    // A String read as analog, and a node the simulator does not have.
    doc.addIn(['tags'], doc.createNode({ name: 'Area1.TK101.ProductAsNumber', server: 'sim', nodeId: 'ns=1;s=Area1.TK101.Product', kind: 'analog', area: 'Area1', range: [0, 1] }));
    doc.addIn(['tags'], doc.createNode({ name: 'Area1.Missing', server: 'sim', nodeId: 'ns=1;i=9999', kind: 'analog', area: 'Area1', range: [0, 1] }));
  }, prepare: (dataDir) => {
    // One trusted certificate in the station's PKI (the test TLS one: no server here presents it), for an engineer to reject.
    const certs = join(dataDir, 'pki', 'trusted', 'certs');
    mkdirSync(certs, { recursive: true });
    copyFileSync(new URL('fixtures/tls-test-cert.pem', import.meta.url), join(certs, 'vigil-test.pem'));
  } });
  await createAccount(plant.dataDir, 'erik', 'engineer', PASSWORD, 'Erik Engineer');
});
test.afterAll(async () => {
  await plant?.close();
});

async function tagsPage(page: Page, tab: 'list' | 'browse' | 'certificates' | 'gaps') {
  await page.goto(plant.url);
  await page.keyboard.press('F4');
  await page.getByTestId(`tags-tab-${tab}`).click();
}

test('a tag whose type does not fit, and an unknown node, show why on the Tags page', async ({ page }, testInfo) => {
  await tagsPage(page, 'list');
  const mismatch = page.locator('tr[data-row="Area1.TK101.ProductAsNumber"]');
  await expect(mismatch.getByTestId('tag-issue')).toContainText('The variable is String, which does not fit a tag of kind “analog”');
  await expect(mismatch.locator('[data-tag]')).toHaveAttribute('data-badge', 'CONFIG');
  const missing = page.locator('tr[data-row="Area1.Missing"]');
  await expect(missing).toContainText('BadNodeIdUnknown');
  await expect(missing.getByTestId('tag-issue')).toContainText('The server answered BadNodeIdUnknown for ns=1;i=9999');
  await expect(page.locator('tr[data-row="Area1.TK101.Level"]')).toContainText('Double');
  for (const [w, h] of [[1280, 720], [1920, 1080]]) {
    await page.setViewportSize({ width: w, height: h });
    await mismatch.scrollIntoViewIfNeeded();
    const shot = testInfo.outputPath(`tags-issues-${w}.png`);
    await page.screenshot({ path: shot });
    await testInfo.attach(`tags-issues-${w}`, { path: shot, contentType: 'image/png' });
  }
});

test('a failed sensor shows its last good value with its age, the junk only in the detail', async ({ page }, testInfo) => {
  await page.goto(plant.url);
  const temp = page.locator('[data-tag="Area1.TK102.Temperature"]').first();
  await expect(temp).toHaveAttribute('data-quality', 'good');
  const good = await temp.locator('.value').innerText();
  await plant.triggerOverOpcUa('sensorFailure', 'Area1.TK102.Temperature');
  await expect(temp).toHaveAttribute('data-quality', 'bad');
  await expect(temp).toHaveAttribute('data-badge', 'SENSOR');
  await expect(temp.locator('[data-age]')).toHaveText(/\d+\s*(s|min) ago/);
  // The shown value is a last good one (a number near what was shown before), never blank.
  expect(Math.abs(Number(await temp.locator('.value').innerText()) - Number(good))).toBeLessThan(5);
  await expect(temp).toHaveAttribute('title', /last good value/);
  const shot = testInfo.outputPath('failed-sensor.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('failed-sensor', { path: shot, contentType: 'image/png' });
});

/** Browse hands out node ids by namespace URI (they survive a server that renumbers its namespaces). */
const SIM = 'nsu=urn:vigil:simulator;s=';

test('an engineer browses the server by keyboard and sees a variable with its unit, range and live value', async ({ page }, testInfo) => {
  await tagsPage(page, 'browse');
  const tree = page.getByTestId('browse-tree');
  const area1 = tree.locator(`[role="treeitem"][data-node="${SIM}Area1"]`);
  await expect(area1).toBeVisible();
  await area1.focus();
  await page.keyboard.press('ArrowRight');
  const tk101 = tree.locator(`[role="treeitem"][data-node="${SIM}Area1.TK101"]`);
  await expect(tk101).toBeVisible();
  // ArrowDown walks the visible rows to TK101 (the area's ESD may come first).
  const rowsShown = await tree.locator('[role="treeitem"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-node')));
  for (let i = rowsShown.indexOf(`${SIM}Area1`); i < rowsShown.indexOf(`${SIM}Area1.TK101`); i++) await page.keyboard.press('ArrowDown');
  await expect(tk101).toBeFocused();
  await page.keyboard.press('ArrowRight');
  const levelNode = tree.locator(`[role="treeitem"][data-node="${SIM}Area1.TK101.Level"]`);
  await expect(levelNode).toBeVisible();
  await levelNode.focus();
  await page.keyboard.press('Enter');
  const detail = page.getByTestId('node-detail');
  await expect(detail).toHaveAttribute('data-node', `${SIM}Area1.TK101.Level`);
  await expect(detail.getByTestId('node-type')).toHaveText('Double');
  await expect(detail.getByTestId('node-unit')).toHaveText('m');
  await expect(detail.getByTestId('node-range')).toHaveText('0 … 20');
  await expect(detail.getByTestId('node-value')).toHaveText(/^\d+(\.\d+)?$/);
  // The tag name is checked by the console, in its words, naming the field and the characters it may have (not the browser's bubble).
  const name = detail.getByTestId('add-name');
  const addTag = detail.getByRole('button', { name: 'Add tag' });
  await name.fill('');
  await addTag.focus();
  await page.keyboard.press('Enter');
  await expect(detail.getByTestId('add-result')).toHaveText('Give a tag name: Latin letters, digits and . _ -, starting with a letter.');
  await expect(name).toBeFocused();
  await name.fill('Level copy');
  await page.keyboard.press('Enter');
  await expect(detail.getByTestId('add-result')).toHaveText('Tag name “Level copy” cannot be used: only Latin letters, digits and . _ -, starting with a letter, without spaces.');
  // Nobody is signed in: adding a tag is refused with the permission named (by its name, not its id); the focus stays on the button.
  await name.fill('Area1.TK101.LevelCopy');
  await addTag.focus();
  await page.keyboard.press('Enter');
  await expect(detail.getByTestId('add-result')).toContainText('Sign in first: this needs the permission “Configure tags”.');
  await expect(addTag).toBeFocused();
  // The range is checked in the form, in the console's words, before anything is sent: both ends or neither, low below high.
  const low = detail.getByLabel('Range low');
  const high = detail.getByLabel('Range high');
  await expect(low).toHaveValue('0');
  await high.fill('');
  await detail.getByRole('button', { name: 'Add tag' }).click();
  await expect(detail.getByTestId('add-result')).toHaveText('Give both range low and range high, or neither (the server’s range is then used).');
  await low.fill('30');
  await high.fill('10');
  await detail.getByRole('button', { name: 'Add tag' }).click();
  await expect(detail.getByTestId('add-result')).toHaveText('Range low (30) must be below range high (10).');
  await low.fill('0');
  await high.fill('20');
  // An engineer adds it: said, and the focus is still on the button (not on <body>).
  await signIn(page, 'erik', PASSWORD);
  await addTag.focus();
  await page.keyboard.press('Enter');
  await expect(detail.getByTestId('add-result')).toHaveText('Tag Area1.TK101.LevelCopy added to the station config; the station acquires it now.');
  await expect(addTag).toBeFocused();
  // A DateTime value (the server's CurrentTime) is written as the console writes times, as its source time below it.
  const server = tree.locator('[role="treeitem"][data-node$="i=2253"]');
  await server.focus();
  await page.keyboard.press('ArrowRight');
  const status = tree.locator('[role="treeitem"][data-node$="i=2256"]');
  await status.focus();
  await page.keyboard.press('ArrowRight');
  await tree.locator('[role="treeitem"][data-node$="i=2258"]').focus();
  await page.keyboard.press('Enter');
  await expect(detail).toHaveAttribute('data-node', /i=2258$/);
  await expect(detail.getByTestId('node-value')).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  await levelNode.focus();
  await page.keyboard.press('Enter');
  await expect(detail).toHaveAttribute('data-node', `${SIM}Area1.TK101.Level`);
  for (const [w, h] of [[1280, 720], [1920, 1080]]) {
    await page.setViewportSize({ width: w, height: h });
    const shot = testInfo.outputPath(`browse-${w}.png`);
    await page.screenshot({ path: shot });
    await testInfo.attach(`browse-${w}`, { path: shot, contentType: 'image/png' });
  }
  // The engineer sets the new tag's compression on the Tags list by keyboard: the dialog opens on its
  // setting (the station default), ↓ ↓ picks deadband, Tab goes to its deviation, Enter saves; said,
  // shown in the row, and the focus is back on the row's button.
  await page.getByTestId('tags-tab-list').click();
  const edit = page.getByRole('button', { name: 'Edit compression of Area1.TK101.LevelCopy' });
  await edit.press('Enter');
  const dialog = page.getByTestId('compression-dialog');
  await expect(dialog.getByTestId('compression-choice-default')).toBeFocused();
  for (const key of ['ArrowDown', 'ArrowDown', 'Tab']) await page.keyboard.press(key);
  const deviation = dialog.getByTestId('compression-deviation');
  await expect(deviation).toBeFocused();
  await deviation.fill('0.5');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('tag-edit-result')).toHaveText('Compression of Area1.TK101.LevelCopy: deadband 0.5 % of span.');
  await expect(edit).toBeFocused();
  await expect(page.locator('tr[data-row="Area1.TK101.LevelCopy"]').getByTestId('tag-compression')).toHaveText('deadband 0.5 % of span');
  // What was done is said in the language shown: switched to Russian, it reads in Russian (it stayed in English).
  await page.getByTestId('language').selectOption('ru');
  await expect(page.getByTestId('tag-edit-result')).toHaveText(/^Сжатие тега Area1\.TK101\.LevelCopy: [^A-Za-z]+$/);
  await page.getByTestId('language').selectOption('en');
});

test('the gap ledger shows a loss and its partial backfill (the restarted simulator has no history of the outage); the certificates list the PKI', async ({ page }, testInfo) => {
  await tagsPage(page, 'gaps');
  await plant.stopSimulator();
  const ledger = page.getByTestId('gap-ledger');
  await expect(ledger.locator('tr.open')).toContainText('sim');
  await plant.restartSimulator();
  // The simulator restarted holds no history from before its start: the gap is only partly filled, and says why.
  // The outage's row, the newest but for values a busy machine's late publish may have lost in the simulator's queue meanwhile.
  const outage = ledger.locator('tr[data-kind="gap"]').filter({ hasNot: page.locator('[data-cause="values lost in the server\'s queue"]') }).first();
  await expect(outage).toHaveAttribute('data-backfill', 'partial', { timeout: 60_000 });
  await expect(outage).toContainText('partly');
  await expect(outage.getByTestId('gap-note')).toContainText('the server’s history begins at');
  const shot = testInfo.outputPath('gap-ledger.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('gap-ledger', { path: shot, contentType: 'image/png' });
  await page.getByTestId('tags-tab-certificates').click();
  // Vigil's own certificate, what each server's administrator trusts: its thumbprint, dates and file.
  await expect(page.getByTestId('cert-own')).toContainText(/^Vigil’s own certificate\s*Thumbprint ([0-9A-F]{2}:){19}[0-9A-F]{2}, valid .+ to .+, file .+client_certificate\.pem\./);
  // Unsecured here (the simulator's temporary certificate is never asked for): only the one filed in trusted/ before the start.
  const cert = page.getByTestId('certificates').locator('tr[data-thumbprint]');
  await expect(cert).toHaveCount(1);
  await expect(cert).toHaveAttribute('data-state', 'trusted');
  // Rejecting a trusted certificate asks first, Cancel focused, saying what it does to a server using it.
  const action = cert.getByRole('button');
  await expect(action).toHaveText('Reject');
  await action.focus();
  await page.keyboard.press('Enter');
  const ask = page.getByTestId('cert-reject-dialog');
  await expect(ask).toContainText('Reject the certificate vigil-test?');
  await expect(ask).toContainText('A server connected with this certificate is disconnected at once');
  await expect(ask.getByRole('button', { name: 'Cancel (Esc)' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(ask).toBeHidden();
  await expect(cert).toHaveAttribute('data-state', 'trusted');
  await expect(action).toBeFocused();
  // Confirmed by an engineer: rejected, and the row's button (now Trust) keeps the focus; trusting it again keeps it too.
  await signIn(page, 'erik', PASSWORD);
  await action.focus();
  await page.keyboard.press('Enter');
  await ask.getByTestId('cert-reject-yes').focus();
  await page.keyboard.press('Enter');
  await expect(cert).toHaveAttribute('data-state', 'rejected');
  await expect(page.getByTestId('cert-result')).toHaveText('Certificate vigil-test rejected.');
  await expect(action).toHaveText('Trust');
  await expect(action).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(cert).toHaveAttribute('data-state', 'trusted');
  await expect(page.getByTestId('cert-result')).toHaveText('Certificate vigil-test trusted.');
  await expect(action).toBeFocused();
});

test.describe('a server never connected', () => {
  let wrong: Plant;
  test.beforeAll(async () => {
    // The simulator's endpoint with a path it does not serve: every attempt fails, none is lost.
    wrong = await startPlant({ seed: 13, configure: (doc, sim) => {
      doc.setIn(['servers', 0, 'endpoint'], sim.endpoint.replace(/\/[^/]*$/, '/wrong'));
    } });
  });
  test.afterAll(async () => {
    await wrong?.close();
  });

  test('says on a band that it is not connected and why, in the console\'s language; the plant stays in view', async ({ page }, testInfo) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(wrong.url);
    const band = page.getByTestId('server-unreached');
    await expect(band).toBeVisible({ timeout: 30_000 });
    await expect(band).toContainText('OPC UA SERVER sim NOT CONNECTED since');
    await expect(band).toContainText('its values are NOT LIVE');
    await expect(band).toContainText(/has no endpoint at this path; it offers opc\.tcp:\/\/[^ ]+\/vigil/);
    await expect(band).toHaveAttribute('title', /\/wrong has no endpoint at this path/);
    // One full stop per sentence: the cause's own is not doubled by the band's.
    expect(await band.innerText()).not.toMatch(/\.\s*\./);
    await expect(page.getByTestId('server-lost')).toHaveCount(0);
    await expect(page.locator('[data-tag="Area2.TK204.Level"]').first()).toBeInViewport();
    const shot = testInfo.outputPath('server-unreached.png');
    await page.screenshot({ path: shot });
    await testInfo.attach('server-unreached', { path: shot, contentType: 'image/png' });
    await page.getByTestId('language').selectOption('ru');
    await expect(band).toContainText('СЕРВЕР OPC UA sim НЕ ПОДКЛЮЧЁН');
    await expect(band).toContainText('нет точки подключения с таким путём');
    expect(await band.innerText()).not.toMatch(/\.\s*\./);
    await page.getByTestId('language').selectOption('zh');
    await expect(band).toContainText('未能连接');
    expect(await band.innerText()).not.toMatch(/[.。]\s*[.。]|数据\./);
  });
});
