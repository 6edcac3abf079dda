/**
 * The tag list's filter says what it matches in words that fit its box at 1280x720 in every
 * language: in Russian its hint ran past the box's edge ("имя, участок, оборудование, ед. изм., |").
 * The expectation is geometry: the hint's width in the box's own font against the box's inside.
 */
import { test, expect } from '@playwright/test';
import { startPlant, type Plant } from './plant.js';

let plant: Plant;

test.beforeAll(async () => {
  plant = await startPlant(47);
});
test.afterAll(async () => {
  await plant?.close();
});

for (const locale of ['ru', 'en', 'zh']) {
  test(`the filter's hint reads whole in its box at 1280x720 in ${locale}`, async ({ page }) => {
    await page.addInitScript((l) => localStorage.setItem('vigil.locale', l), locale);
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(`${plant.url}#/tags`);
    const filter = page.getByTestId('tag-filter');
    await expect(filter).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', locale);
    const room = await filter.evaluate((el: HTMLInputElement) => {
      const s = getComputedStyle(el);
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.font = s.font;
      return { hint: el.placeholder, text: Math.ceil(ctx.measureText(el.placeholder).width), inside: el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) };
    });
    expect(room.hint.length).toBeGreaterThan(10);
    expect(room.text, `"${room.hint}"`).toBeLessThanOrEqual(room.inside);
  });
}
