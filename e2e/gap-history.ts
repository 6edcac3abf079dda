/**
 * Gaps close together on four more tags, archived before the station starts (after
 * history.ts's): on each tag a one-minute loss of communication and, shortly before the
 * window's end, a sensor failure running past it. Opened on [start, start + 30 min), a lane's
 * two labels fall near each other at any width: the first may run on into the lane towards the
 * second, which has to end at its gap's end (the plot's right edge is too close to start there).
 * Each tag's loss is at its own time, so at each width and language some lane is tight.
 */
import { join } from 'node:path';
import { Historian } from '../historian/index.js';
import { BadNoCommunication, BadSensorFailure, Good } from '../historian/status.js';
import { signal } from './history.js';

const MINUTE = 60_000;

export interface GapWindow {
  /** The window to open: [start, end). */
  start: number;
  end: number;
  tags: string[];
}

/** `start` must lie in the archive's past and the tags must be defined and still empty. */
export async function archiveCloseGaps(dataDir: string, start: number): Promise<GapWindow> {
  const tags = ['Area1.TK103.Level', 'Area1.TK103.Temperature', 'Area1.TK104.Level', 'Area2.TK201.Temperature'];
  const lossAt = [16.5, 19, 21.5, 24].map((m) => start + m * MINUTE);
  const failure = [start + 28.5 * MINUTE, start + 31 * MINUTE];
  const h = Historian.open(join(dataDir, 'archive'), { flushIntervalMs: 0 });
  try {
    tags.forEach((name, k) => {
      const samples = [];
      for (let t = start - 10 * MINUTE; t < start + 40 * MINUTE; t += 1000) {
        const lost = t >= lossAt[k]! && t < lossAt[k]! + MINUTE;
        const failed = t >= failure[0]! && t < failure[1]!;
        const status = lost ? BadNoCommunication : failed ? BadSensorFailure : Good;
        samples.push({ t, value: status === Good ? signal(k, t - start) : NaN, status });
      }
      h.append(name, samples);
    });
  } finally {
    await h.close();
  }
  return { start, end: start + 30 * MINUTE, tags };
}
