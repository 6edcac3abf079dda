/**
 * The horn tones, one per alarm priority, written as WAV files to
 * resources/tones/ (the renderer bundles them). Run `npm run tones` after a
 * change here; a test checks that the committed files are what this makes.
 *
 * The shapes follow IEC 60601-1-8's idea of alarm signals: pulses made of a
 * fundamental and four harmonics (a pure sine is hard to locate in a room),
 * and urgency coded by the number and pace of pulses, not only by pitch, so
 * a listener tells priorities apart without comparing them. Each file is
 * one cycle: bursts then silence; the console loops it until silenced.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SAMPLE_RATE = 22_050;

interface Pulse {
  /** Fundamental, Hz. */
  hz: number;
  /** Start within the cycle and length, ms. */
  at: number;
  ms: number;
}

interface Tone {
  pulses: Pulse[];
  /** Whole cycle, ms: the silence after the last pulse makes the pause before the loop repeats. */
  cycleMs: number;
  /** Peak level, 0..1: the lower priorities are quieter. */
  level: number;
}

const pulses = (hz: number[], ms: number, gapMs: number, startMs = 0): Pulse[] => hz.map((f, i) => ({ hz: f, at: startMs + i * (ms + gapMs), ms }));

/** P1: two fast bursts (3 + 2 pulses), high; P2: three slower pulses; P3: two; P4: one soft chime. */
export const TONES: Record<string, Tone> = {
  p1: { pulses: [...pulses([988, 784, 659], 110, 60), ...pulses([988, 784], 110, 60, 650)], cycleMs: 1800, level: 0.9 },
  p2: { pulses: pulses([740, 587, 740], 180, 110), cycleMs: 2600, level: 0.75 },
  p3: { pulses: pulses([523, 440], 220, 160), cycleMs: 3600, level: 0.6 },
  p4: { pulses: pulses([392], 320, 0), cycleMs: 6000, level: 0.45 },
};

const HARMONICS = [1, 0.5, 0.33, 0.25, 0.2];
const ATTACK_MS = 15;
const RELEASE_MS = 35;

/** Samples of one tone cycle, 16-bit signed. */
export function renderTone(tone: Tone): Int16Array {
  const n = Math.round((tone.cycleMs / 1000) * SAMPLE_RATE);
  const out = new Int16Array(n);
  const norm = HARMONICS.reduce((a, b) => a + b, 0);
  for (const p of tone.pulses) {
    const start = Math.round((p.at / 1000) * SAMPLE_RATE);
    const len = Math.round((p.ms / 1000) * SAMPLE_RATE);
    const attack = (ATTACK_MS / 1000) * SAMPLE_RATE;
    const release = (RELEASE_MS / 1000) * SAMPLE_RATE;
    for (let i = 0; i < len && start + i < n; i++) {
      const env = Math.min(1, i / attack, (len - i) / release);
      let s = 0;
      for (let h = 0; h < HARMONICS.length; h++) {
        const f = p.hz * (h + 1);
        if (f < SAMPLE_RATE / 2) s += HARMONICS[h] * Math.sin((2 * Math.PI * f * i) / SAMPLE_RATE);
      }
      out[start + i] = Math.round((s / norm) * env * tone.level * 32767);
    }
  }
  return out;
}

/** A canonical 44-byte-header PCM WAV (RIFF, mono, 16-bit). */
export function wav(samples: Int16Array, rate = SAMPLE_RATE): Buffer {
  const data = samples.length * 2;
  const b = Buffer.alloc(44 + data);
  b.write('RIFF', 0, 'ascii');
  b.writeUInt32LE(36 + data, 4);
  b.write('WAVE', 8, 'ascii');
  b.write('fmt ', 12, 'ascii');
  b.writeUInt32LE(16, 16); // fmt chunk size
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * 2, 28); // byte rate
  b.writeUInt16LE(2, 32); // block align
  b.writeUInt16LE(16, 34); // bits per sample
  b.write('data', 36, 'ascii');
  b.writeUInt32LE(data, 40);
  for (let i = 0; i < samples.length; i++) b.writeInt16LE(samples[i], 44 + i * 2);
  return b;
}

/** File name -> bytes, for every priority. */
export function makeTones(): Map<string, Buffer> {
  return new Map(Object.entries(TONES).map(([name, tone]) => [`${name}.wav`, wav(renderTone(tone))]));
}

export const TONES_DIR = join(new URL('..', import.meta.url).pathname, 'resources', 'tones');

if (import.meta.url === `file://${process.argv[1]}`) {
  mkdirSync(TONES_DIR, { recursive: true });
  for (const [name, bytes] of makeTones()) {
    writeFileSync(join(TONES_DIR, name), bytes);
    process.stdout.write(`${join('resources/tones', name)}: ${bytes.length} bytes\n`);
  }
}
