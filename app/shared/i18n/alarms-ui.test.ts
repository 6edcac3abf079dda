import { describe, expect, it } from 'vitest';
import { alarmsUi as en } from './en/alarms-ui.js';
import { alarmsUi as ru } from './ru/alarms-ui.js';
import { alarmsUi as zh } from './zh/alarms-ui.js';

describe('alarm screens catalog', () => {
  it('keeps its keys under alarmsUi.', () => {
    expect(Object.keys(en).filter((k) => !k.startsWith('alarmsUi.'))).toEqual([]);
  });

  for (const [name, catalog] of [['ru', ru], ['zh', zh]] as const) {
    it(`${name} translates every alarm-screen text`, () => {
      expect(Object.keys(en).filter((k) => !(k in catalog))).toEqual([]);
    });
  }
});
