/** The alarm detail's settings line names a frozen-value alarm's window, in the console's language. */
import { describe, expect, it } from 'vitest';
import type { AlarmDefinition } from '../../../shared/api/alarms.js';
import { Formats } from '../../../shared/i18n/format.js';
import { Translator } from '../../../shared/i18n/index.js';
import type { Lang } from '../value-view.js';
import { settingsLine } from './settings-line.js';

const lang = (code: 'en' | 'ru' | 'zh'): Lang => {
  const tr = new Translator(code);
  return { t: (k, p) => tr.t(k, p), fmt: new Formats(code) };
};

const def = (over: Partial<AlarmDefinition>): AlarmDefinition => ({
  id: 'Area1.TK101.Level/frozen', kind: 'frozen', tag: 'Area1.TK101.Level', server: 'sim', area: 'Area1', unit: 'm',
  conditions: [{ condition: 'FROZEN', limit: null, priority: 3, message: 'TK101 level transmitter frozen', rationalization: null }],
  deadband: 0, deadbandPercentOfSpan: false, onDelayS: 0, offDelayS: 0, latching: false, shelvable: true, suppressWhen: null, ...over,
});

describe('settingsLine', () => {
  // Durations keep their number and unit together (no-break spaces, U+00A0).
  it('names the frozen window as a duration, in each language', () => {
    const frozen = def({ frozenAfterS: 600 });
    expect(settingsLine(frozen, lang('en'))).toBe('deadband 0 m, on-delay 0 s, off-delay 0 s · frozen after 10\u00a0min 00\u00a0s unchanged');
    expect(settingsLine(frozen, lang('ru'))).toBe('зона нечувствительности 0 m, задержка срабатывания 0 с, задержка возврата 0 с · зависло после 10\u00a0мин 00\u00a0с без изменений');
    expect(settingsLine(frozen, lang('zh'))).toBe('死区 0 m，报警延时 0秒，恢复延时 0秒 · 10分钟00秒不变即判为死值');
  });

  it('says nothing of a window for another alarm, and keeps latching and not shelvable', () => {
    expect(settingsLine(def({ kind: 'limit', deadband: 2, deadbandPercentOfSpan: true, onDelayS: 5, latching: true, shelvable: false }), lang('en')))
      .toBe('deadband 2 %, on-delay 5 s, off-delay 0 s · latching · not shelvable');
  });
});
