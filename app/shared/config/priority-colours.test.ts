/**
 * ISA-101: the quality colours (magenta = bad, teal = uncertain, app/renderer/app.css) mean
 * nothing else. The default P3 was a magenta (#d81b9c) beside the bad-quality #b000b0: a P3 row
 * of a BAD PV alarm showed a magenta diamond beside a magenta SENSOR badge. Every default
 * priority colour, and the shipped station's, must stand apart from both and from each other.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { alarmSettingsSchema } from './alarms.js';

const QUALITY = { bad: '#b000b0', uncertain: '#00717d' }; // app.css --bad, --uncertain

const rgb = (hex: string): number[] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
/** Euclidean distance in sRGB, 0..441: #d81b9c and #b000b0 are 52 apart. */
const distance = (a: string, b: string): number => Math.hypot(...rgb(a).map((v, i) => v - rgb(b)[i]!));

function expectApart(colours: string[]): void {
  for (const c of colours) for (const q of Object.values(QUALITY)) expect(distance(c, q), `${c} vs quality ${q}`).toBeGreaterThan(100);
  // Priorities also differ by shape and number (never colour alone): orange and yellow, 93 apart, are told apart.
  for (let i = 0; i < colours.length; i++) for (let j = i + 1; j < colours.length; j++) {
    expect(distance(colours[i]!, colours[j]!), `${colours[i]} vs ${colours[j]}`).toBeGreaterThan(80);
  }
}

describe('priority colours', () => {
  it('the defaults stand apart from the quality colours and from each other', () => {
    const p = alarmSettingsSchema.parse({}).priorities;
    expectApart([p[1].colour, p[2].colour, p[3].colour, p[4].colour]);
  });

  it("the shipped station's do too", () => {
    const text = readFileSync(fileURLToPath(new URL('../../../resources/station.yaml', import.meta.url)), 'utf8');
    const p = (parse(text) as { alarms: { priorities: Record<string, { colour: string }> } }).alarms.priorities;
    expectApart(Object.values(p).map((x) => x.colour));
  });
});
