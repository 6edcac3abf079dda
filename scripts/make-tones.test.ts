import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_RATE, TONES, TONES_DIR, makeTones } from './make-tones.js';

describe('horn tones', () => {
  it('the committed files are exactly what the script makes', () => {
    const made = makeTones();
    expect([...made.keys()].sort()).toEqual(['p1.wav', 'p2.wav', 'p3.wav', 'p4.wav']);
    for (const [name, bytes] of made) {
      expect(readFileSync(join(TONES_DIR, name)).equals(bytes), `resources/tones/${name} differs: run npm run tones`).toBe(true);
    }
  });

  it('writes plain PCM WAV a browser decodes: RIFF, mono, 16-bit, one cycle long', () => {
    for (const [name, b] of makeTones()) {
      const tone = TONES[name.replace('.wav', '')];
      expect(b.toString('ascii', 0, 4)).toBe('RIFF');
      expect(b.toString('ascii', 8, 12)).toBe('WAVE');
      expect(b.readUInt16LE(20)).toBe(1);
      expect(b.readUInt16LE(22)).toBe(1);
      expect(b.readUInt32LE(24)).toBe(SAMPLE_RATE);
      expect(b.readUInt16LE(34)).toBe(16);
      expect(b.readUInt32LE(4)).toBe(b.length - 8);
      expect(b.readUInt32LE(40)).toBe(Math.round((tone.cycleMs / 1000) * SAMPLE_RATE) * 2);
    }
  });

  it('is loud during its pulses and silent between them', () => {
    const b = makeTones().get('p2.wav')!;
    const at = (ms: number) => b.readInt16LE(44 + 2 * Math.round((ms / 1000) * SAMPLE_RATE));
    const peak = (fromMs: number, toMs: number) => {
      let m = 0;
      for (let t = fromMs; t < toMs; t += 0.1) m = Math.max(m, Math.abs(at(t)));
      return m;
    };
    expect(peak(40, 140)).toBeGreaterThan(8000); // first pulse
    expect(peak(190, 280)).toBe(0); // gap
    expect(peak(1000, 2500)).toBe(0); // pause before the loop
  });
});
