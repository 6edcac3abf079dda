/**
 * History archived before the station starts, for the trend tests: tags of
 * the default config with a known signal, a sensor failure and a quiet
 * discrete tag, written through the historian exactly as the station would
 * define the tags. Tests read their expectations from the archive itself
 * (ArchiveReader, read-only), never from the trend code.
 */
import { join } from 'node:path';
import { Historian } from '../historian/index.js';
import { BadSensorFailure, Good } from '../historian/status.js';
import { loadStationConfig } from '../app/main/station/config-file.js';
import { historianTagConfig } from '../app/main/station/archive.js';

export const HOUR = 3_600_000;
/** A week of 1 s samples (~35 MB as CSV) on one tag, before the others' history. */
const BULK_TAG = 'Area1.TK101.Pressure', BULK_SAMPLES = 600_000;

export interface ArchivedHistory {
  /** History covers [start, end); a sensor failure on the first tag covers [badStart, badEnd). */
  start: number;
  end: number;
  badStart: number;
  badEnd: number;
  tags: string[];
  /** The bulk tag's week of history, [start, end). */
  bulk: { tag: string; start: number; end: number };
}

/**
 * The signal of tag k at t ms after the history's start: smooth, distinct per tag (each wobbles at
 * its own period), values at the sensor's resolution. Timed from the start, not the epoch, so each
 * run draws the same picture: when the phase followed the time of day, at some hours the level and
 * the temperature, each scaled to its own axis, drew one line for minutes, one pen hiding the other.
 */
export const signal = (k: number, t: number): number => Math.round((8 + k * 2 + 3 * Math.sin(t / 1_800_000 + k) + 0.4 * Math.sin(t / (97_000 + k * 31_000))) * 1000) / 1000;

export async function archiveHistory(dataDir: string, configFile: string, now = Date.now()): Promise<ArchivedHistory> {
  const config = loadStationConfig(configFile);
  const h = Historian.open(join(dataDir, 'archive'), { flushIntervalMs: 0 });
  const start = now - 6 * HOUR, end = now - 5 * 60_000;
  const badStart = now - 3 * HOUR, badEnd = badStart + 20 * 60_000;
  const bulkStart = start - 8 * 24 * HOUR;
  const tags = ['Area1.TK101.Level', 'Area1.TK101.Temperature', 'Area1.TK102.Level', 'Area2.TK201.Level'];
  try {
    for (const tag of config.tags) h.defineTag(historianTagConfig(tag, config), bulkStart - HOUR);
    tags.forEach((name, k) => {
      const samples = [];
      for (let t = start; t < end; t += 1000) {
        const bad = k === 0 && t >= badStart && t < badEnd;
        samples.push({ t, value: bad ? NaN : signal(k, t - start), status: bad ? BadSensorFailure : Good });
      }
      h.append(name, samples);
    });
    // Enough rows that an export of them outlasts every buffer between the station and the browser.
    const bulkSamples = [];
    // Each sample steps by more than the tag's deadband (0.5 mbar), so the archive keeps every one.
    for (let i = 0; i < BULK_SAMPLES; i++) bulkSamples.push({ t: bulkStart + i * 1000, value: signal(4, bulkStart - start + i * 1000) + (i % 2) * 2, status: Good });
    h.append(BULK_TAG, bulkSamples);
    h.append('Area1.TK101.PumpRunning', Array.from({ length: 12 }, (_, i) => ({ t: start + i * 30 * 60_000, value: i % 2 === 0, status: Good })));
  } finally {
    await h.close();
  }
  return { start, end, badStart, badEnd, tags, bulk: { tag: BULK_TAG, start: bulkStart, end: bulkStart + BULK_SAMPLES * 1000 } };
}
