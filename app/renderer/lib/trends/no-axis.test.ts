import { describe, expect, it } from 'vitest';
import { Formats, Translator } from '../../../shared/i18n/index.js';
import type { Lang } from '../value-view.js';
import { axislessEnds, axislessText } from './no-axis.js';

const langOf = (locale: 'en' | 'ru' | 'zh'): Lang => {
  const tr = new Translator(locale);
  return { t: (k, p) => tr.t(k, p), fmt: new Formats(locale) };
};
/** The narrow no-break space the console puts between a number and its unit everywhere. */
const NB = '\u202f';
const level = { short: 'TK201.Level', unit: 'm', discrete: false };
const gas = { short: 'GD201.Concentration', unit: 'ppm', discrete: false };
const pump = { short: 'TK101.PumpRunning', unit: '', discrete: true };

describe('the scale of a pen without an axis', () => {
  it('its ends to the decimals a hundredth of its span needs: 0–20 m to 0.1, 0–1,000 mbar to 1, an auto range of 6.72 to 0.01', () => {
    expect(axislessEnds({ low: 0, high: 20 }, false, langOf('en'))).toEqual(['0.0', '20.0']);
    expect(axislessEnds({ low: 0, high: 1000 }, false, langOf('en'))).toEqual(['0', '1,000']);
    expect(axislessEnds({ low: -0.3612, high: 6.3588 }, false, langOf('en'))).toEqual(['-0.36', '6.36']);
    expect(axislessEnds({ low: 0, high: 1000 }, false, langOf('ru'))).toEqual(['0', '1\u00a0000']);
  });

  it('a counter of 10¹² against its power of ten, as its axis would be; a discrete pen\'s states, not the axis\'s air', () => {
    expect(axislessEnds({ low: 0, high: 2e12 }, false, langOf('en'))).toEqual(['0', '2.00E12']);
    expect(axislessEnds({ low: -0.25, high: 1.25 }, true, langOf('en'))).toEqual(['0', '1']);
    expect(axislessEnds({ low: -0.25, high: 3.25 }, true, langOf('en'))).toEqual(['0', '3']);
  });

  it('reads "<pen> <bottom> – <top> <unit>" in each language', () => {
    expect(axislessText({ low: 0, high: 20 }, level, langOf('en'))).toBe(`TK201.Level 0.0 – 20.0${NB}m`);
    expect(axislessText({ low: 0, high: 100 }, gas, langOf('ru'))).toBe(`GD201.Concentration 0 – 100${NB}ppm`);
    expect(axislessText({ low: 0, high: 20 }, level, langOf('ru'))).toBe(`TK201.Level 0,0 – 20,0${NB}m`);
    expect(axislessText({ low: -0.25, high: 1.25 }, pump, langOf('zh'))).toBe('TK101.PumpRunning 0 – 1');
  });
});
