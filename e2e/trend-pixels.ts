/**
 * What the trend canvas shows, counted in its pixels: per column, how many are the first pen's
 * blue, the second pen's green and the bad band's magenta hatching, so that tests check what is
 * drawn, not the trend code's own account of it.
 */
import { expect, type Page } from '@playwright/test';

export interface ColumnCount { pen: number; band: number; green: number }

/**
 * For each named span [x0, x1) of CSS px (canvas coordinates), the counts of every second column
 * over the plot's height (from `top`, `height` px).
 */
export function columnCounts<K extends string>(page: Page, geo: { top: number; height: number }, spans: Record<K, [number, number]>): Promise<Record<K, ColumnCount[]>> {
  return page.getByTestId('trend-chart').locator('canvas').evaluate((c: HTMLCanvasElement, arg) => {
    const r = devicePixelRatio || 1;
    const img = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const column = (x: number) => {
      let pen = 0, band = 0, green = 0;
      const cx = Math.round(x * r);
      for (let y = Math.round(arg.top * r); y < Math.round((arg.top + arg.height) * r); y++) {
        const i = (y * c.width + cx) * 4;
        const [R, G, B] = [img[i]!, img[i + 1]!, img[i + 2]!];
        // The pen's blue (#1f4e9c, antialiased); the second pen's green (#2e6b30); the band's magenta hatching (over the grey plot).
        if (B > R + 70 && B > G + 45) pen++;
        if (G > R + 35 && G > B + 35) green++;
        if (R > G + 40 && B > G + 40) band++;
      }
      return { pen, band, green };
    };
    const out: Record<string, ColumnCount[]> = {};
    for (const [name, [x0, x1]] of Object.entries(arg.spans)) {
      out[name] = [];
      for (let x = x0; x < x1; x += 2) out[name].push(column(x));
    }
    return out;
  }, { top: geo.top, height: geo.height, spans: spans as Record<string, [number, number]> }) as Promise<Record<K, ColumnCount[]>>;
}

/**
 * Over the rows of a strip (from `top`, `height` CSS px) and the columns of [x0, x1): the largest
 * share of a row's columns that are the first pen's blue. A line drawn along the strip makes a row
 * of it nearly all blue; slanted stripes make no row more than a part.
 */
export function penRowShare(page: Page, geo: { top: number; height: number }, [x0, x1]: [number, number]): Promise<number> {
  return page.getByTestId('trend-chart').locator('canvas').evaluate((c: HTMLCanvasElement, arg) => {
    const r = devicePixelRatio || 1;
    const img = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let most = 0;
    for (let y = Math.round(arg.top * r); y < Math.round((arg.top + arg.height) * r); y++) {
      let blue = 0, all = 0;
      for (let x = Math.round(arg.x0 * r); x < Math.round(arg.x1 * r); x++) {
        const i = (y * c.width + x) * 4;
        const [R, G, B] = [img[i]!, img[i + 1]!, img[i + 2]!];
        all++;
        if (B > R + 70 && B > G + 45) blue++; // the pen's blue (#1f4e9c, antialiased), as columnCounts reads it
      }
      if (all > 0) most = Math.max(most, blue / all);
    }
    return most;
  }, { top: geo.top, height: geo.height, x0, x1 });
}

/**
 * Presses a key that changes what the trend draws (M: limits on/off) and waits for a draw after it:
 * pixels counted then show the new state. A fixed wait drew the old one on a busy machine.
 */
export async function pressAndRedraw(page: Page, key: string): Promise<void> {
  const draws = () => page.evaluate(() => (globalThis as unknown as { __vigilTrends: { draws: number } }).__vigilTrends.draws);
  const before = await draws();
  await page.keyboard.press(key);
  await expect.poll(draws).toBeGreaterThan(before);
}
