import { describe, expect, it } from 'vitest';
import { Formats } from '../../../shared/i18n/index.js';
import { axisSize, valueTickLabels } from './axis-labels.js';

const en = new Formats('en', 'UTC');
const ru = new Formats('ru', 'UTC');

describe('value axis tick labels', () => {
  it('ordinary magnitudes: fixed decimals from the step, grouped the locale\'s way', () => {
    expect(valueTickLabels(en, [0, 2.5, 5], 2.5)).toEqual(['0.0', '2.5', '5.0']);
    expect(valueTickLabels(en, [1000, 1500, 2000], 500)).toEqual(['1,000', '1,500', '2,000']);
    expect(valueTickLabels(ru, [1234.6, 1234.8], 0.2)).toEqual(['1\u00a0234,6', '1\u00a0234,8']);
    expect(valueTickLabels(en, [0.3, 0.6], 0.30000000000000004)).toEqual(['0.3', '0.6']);
  });

  it('tiny magnitudes (X.Small, mol/L): every tick distinct, none "0" but 0 itself (T5)', () => {
    const splits = [1.2e-9, 1.4e-9, 1.6e-9, 1.8e-9, 2e-9, 2.2e-9];
    expect(valueTickLabels(en, splits, 2e-10)).toEqual(['1.2E-9', '1.4E-9', '1.6E-9', '1.8E-9', '2.0E-9', '2.2E-9']);
    expect(valueTickLabels(ru, [0, 2.5e-9, 5e-9], 2.5e-9)).toEqual(['0', '2,5E-9', '5,0E-9']);
    // A step finer than the old 1e-10 floor is still told apart.
    expect(new Set(valueTickLabels(en, [1e-12, 2e-12, 3e-12], 1e-12)).size).toBe(3);
  });

  it('huge magnitudes (X.Large, J): one exponent, the leading digits kept (T6)', () => {
    expect(valueTickLabels(en, [1.2345675e12, 1.234568e12, 1.2345685e12], 5e5)).toEqual(['1.2345675E12', '1.2345680E12', '1.2345685E12']);
    expect(valueTickLabels(en, [0, 5e11, 1e12, 1.5e12, 2e12], 5e11)).toEqual(['0', '0.5E12', '1.0E12', '1.5E12', '2.0E12']);
  });
});

describe('value axis width', () => {
  it('holds its widest label beside the ticks, never less than the usual width', () => {
    // ticks 10 px + gap 5 px + the text + 4 px of air
    expect(axisSize([30, 95.2, 60], 10, 5, 56)).toBe(115);
    expect(axisSize([20, 25], 10, 5, 56)).toBe(56);
    expect(axisSize([], 10, 5, 56)).toBe(56);
  });
});
