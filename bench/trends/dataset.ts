/**
 * The archive the trends benchmark reads: tags of the default station config
 * with 1 s history, written through the historian as the station defines
 * them (their own compression). The signal is noisy enough that nearly every
 * sample is archived: the worst case for a plot read of a long range.
 */
import { join } from 'node:path';
import { Historian, type Sample } from '../../historian/index.js';
import { Good } from '../../historian/status.js';
import { historianTagConfig } from '../../app/main/station/archive.js';
import { loadStationConfig } from '../../app/main/station/config-file.js';

export interface Prefill {
  /** Tags and how many days of 1 s data each gets, ending at `end`. */
  tags: { name: string; days: number }[];
  end: number;
}

const DAY = 86_400_000;

/** A tank level-like signal: slow fill and empty, a ripple, sensor noise, 1 mm resolution. */
function value(k: number, t: number): number {
  const slow = 8 * Math.sin(t / 5_400_000 + k * 0.7);
  const ripple = 0.3 * Math.sin(t / 61_000 + k);
  const noise = (((Math.imul(t / 1000 + k * 7919, 2654435761) >>> 0) % 2001) - 1000) / 40_000; // ±0.025
  return Math.round((10 + slow + ripple + noise) * 1000) / 1000;
}

export async function prefill(dataDir: string, configFile: string, p: Prefill, log: (msg: string) => void): Promise<{ samples: number; archived: number; seconds: number }> {
  const config = loadStationConfig(configFile);
  const h = Historian.open(join(dataDir, 'archive'), { flushIntervalMs: 0, volumePeriod: 'month' });
  const began = performance.now();
  let samples = 0;
  try {
    const longest = Math.max(...p.tags.map((x) => x.days));
    for (const tag of config.tags) h.defineTag(historianTagConfig(tag, config), p.end - longest * DAY - DAY);
    for (let d = longest; d > 0; d--) {
      const dayStart = p.end - d * DAY;
      p.tags.forEach(({ name, days }, k) => {
        if (d > days) return;
        // Fresh objects each day: the writer may hold on to what it was given until it flushes.
        const chunk: Sample[] = new Array(86_400);
        for (let i = 0; i < 86_400; i++) {
          const t = dayStart + i * 1000;
          chunk[i] = { t, value: value(k, t), status: Good };
        }
        h.append(name, chunk);
        samples += chunk.length;
      });
      if (d % 30 === 0 || d === 1) {
        h.flush();
        log(`archived ${d === 1 ? 'all' : `${longest - d + 1} of ${longest} days`}: ${(samples / 1e6).toFixed(1)} M samples`);
      }
    }
    h.flush();
    const archived = h.tagStats().reduce((a, t) => a + t.samplesArchived, 0);
    return { samples, archived, seconds: (performance.now() - began) / 1000 };
  } finally {
    await h.close();
  }
}
