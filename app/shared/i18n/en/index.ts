/**
 * The English catalog, the source of every other language. One file per
 * area of the console; keys are "<area>.<what>", messages are ICU
 * MessageFormat (plurals, selects, numbers) so translations need no code.
 */
import { common } from './common.js';
import { trends } from './trends.js';

export const en = {
  ...common,
  ...trends,
} as const;
