/**
 * The English catalog, the source of every other language. One file per
 * area of the console; keys are "<area>.<what>", messages are ICU
 * MessageFormat (plurals, selects, numbers) so translations need no code.
 */
import { acquisition } from './acquisition.js';
import { common } from './common.js';

export const en = {
  ...common,
  ...acquisition,
} as const;
