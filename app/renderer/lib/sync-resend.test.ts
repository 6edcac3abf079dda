import { describe, expect, it } from 'vitest';
import { Translator } from '../../shared/i18n/index.js';
import { resendRange } from './sync-resend.js';

describe('the Sync page checks its "Send again" range itself', () => {
  it('From after To is a problem said in the console language, not a call', () => {
    const r = resendRange('2026-12-06T10:00:00', '2026-12-06T09:00:00');
    expect(r).toEqual({ problem: 'sync.error.badRange' });
    const ru = new Translator('ru');
    expect(ru.t((r as { problem: 'sync.error.badRange' }).problem)).toBe('Ничего не отправлено: «С» позже, чем «По». Выберите интервал, начало которого не позже конца.');
  });

  it('a range in order, or of one instant, is the local times of its fields', () => {
    expect(resendRange('2026-12-06T09:00:00', '2026-12-06T10:30:00')).toEqual({ from: new Date(2026, 11, 6, 9).getTime(), to: new Date(2026, 11, 6, 10, 30).getTime() });
    expect(resendRange('2026-12-06T09:00', '2026-12-06T09:00')).toEqual({ from: new Date(2026, 11, 6, 9).getTime(), to: new Date(2026, 11, 6, 9).getTime() });
  });

  it('a field that is not a date: nothing to send (the field says why)', () => {
    expect(resendRange('', '2026-12-06T09:00')).toBeNull();
    expect(resendRange('2026-12-06T09:00', 'yesterday')).toBeNull();
  });
});
