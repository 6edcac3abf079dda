/**
 * What is wrong with a typed date and time, in the console's language: "February 2026 has 28
 * days: there is no day 31." rather than only "not a date". Numbers go to the catalog as text
 * (a year is no quantity to group: 2026, not 2,026).
 */
import type { DateTimeProblem } from './date-time-text.js';
import type { Lang } from './value-view.js';

export function dateTimeProblemText(problem: DateTimeProblem, lang: Lang): string {
  switch (problem.kind) {
    case 'form':
      return lang.t('common.dateTime.invalid');
    case 'ambiguous':
      return lang.t('common.dateTime.ambiguous');
    case 'month':
      return lang.t('common.dateTime.noSuchMonth', { month: String(problem.month) });
    case 'day':
      // month stays a number: each catalog chooses the month's word by it, in its own case (Russian's "в феврале").
      return lang.t('common.dateTime.noSuchDay', { month: problem.month, year: String(problem.year), day: String(problem.day), days: problem.days });
    case 'hour':
      return lang.t('common.dateTime.noSuchHour', { hour: String(problem.hour) });
    case 'minute':
      return lang.t('common.dateTime.noSuchMinute', { minute: String(problem.minute) });
    case 'second':
      return lang.t('common.dateTime.noSuchSecond', { second: String(problem.second) });
  }
}
