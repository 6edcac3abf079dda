/**
 * The audit entry of a start after a fault, as the station writes it (app/main/restart-note.ts),
 * read in the console's language: its time in the page's format, the cause kept in the station's
 * technical English. The words are the catalogs'.
 */
import { describe, expect, it } from 'vitest';
import { Formats, Translator, type Locale } from '../../shared/i18n/index.js';
import { auditDetail } from './audit-detail.js';
import { auditDetailOf, decodeNote, encodeNote, hungCause } from '../../main/restart-note.js';

const at = Date.UTC(2026, 11, 7, 9, 5, 30);
const stored = auditDetailOf({ at, restarts: 3, kind: 'signal', code: null, signal: 'SIGKILL', detail: 'killed by SIGKILL (the out-of-memory killer, or a person)' });
const say = (locale: Locale) => auditDetail(stored, new Translator(locale).t.bind(new Translator(locale)), locale, new Formats(locale, 'UTC'));

describe('a restart after a fault in the audit trail', () => {
  it('is stored in English with the fault\'s instant', () => {
    expect(stored).toBe('restarted after a fault at 2026-12-07T09:05:30.000Z (restart 3): killed by SIGKILL (the out-of-memory killer, or a person)');
  });
  it('reads in Russian and Chinese with the time as the console writes times', () => {
    expect(say('ru')).toBe('Перезапуск после сбоя в 07.12.2026, 09:05:30 (перезапуск 3 с момента запуска станции): killed by SIGKILL (the out-of-memory killer, or a person)');
    expect(say('zh')).toBe('在 2026/12/07 09:05:30 发生故障后重新启动（自站点启动以来第3次）：killed by SIGKILL (the out-of-memory killer, or a person)');
    // English keeps the stored words, as for the trail's other station entries.
    expect(say('en')).toBe(stored);
  });
});

describe('a restart after a hang', () => {
  const note = decodeNote(encodeNote({ at, restarts: 2, ...hungCause(30_000) }))!;
  it('carries the silence through the note, and the trail says it in the station\'s English', () => {
    expect(note).toEqual({ at, restarts: 2, kind: 'hung', code: null, signal: 'SIGKILL', silentMs: 30_000, detail: 'hung: no sign of life for 30 s' });
    expect(auditDetailOf(note)).toBe('restarted after a fault at 2026-12-07T09:05:30.000Z (restart 2): hung: no sign of life for 30 s');
  });
  it('is said on the band in every language (StatusBand.svelte\'s parameters)', () => {
    const band = (locale: Locale) => new Translator(locale).t('band.restartedDetail', {
      kind: note.kind, signal: note.signal ?? '', code: note.code ?? '', silence: new Formats(locale, 'UTC').duration(note.silentMs ?? 0),
    });
    expect(band('en')).toMatch(/^The station stopped responding \(no sign of life for 30\u00a0s\) and was ended \(SIGKILL\)\. Alarms/);
    expect(band('ru')).toMatch(/^Станция перестала отвечать \(нет признаков работы в течение 30\u00a0с\) и была завершена принудительно \(SIGKILL\)\. Сигнализация/);
    expect(band('zh')).toMatch(/^站点停止响应（30秒内无任何运行迹象），已被强制终止（SIGKILL）。报警/);
  });
});
