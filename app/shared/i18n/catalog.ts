import type { en } from './en/index.js';

export type MessageKey = keyof typeof en;
/** A translation: any subset of the English keys (the rest falls back to English). */
export type Catalog = Partial<Record<MessageKey, string>>;
