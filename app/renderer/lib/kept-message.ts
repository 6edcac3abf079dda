/**
 * A page's message kept as what it says, not as text: a catalog key and its params, or a failure as
 * it came (worded by i18n.errorText, the station's key in the console's language), and worded where
 * it is shown (a text that came with no key to word it by, as it came). Made into text when it arrived, it stayed in the language of that moment: English
 * in a console switched to Russian since.
 */
import type { MessageKey, MessageParams } from '../../shared/i18n/index.js';

export type KeptMessage = { key: MessageKey; params?: MessageParams } | Failure | { text: string };
/** A failure as it came: wrapped, so that even a thrown null or '' is a failure to show. */
export type Failure = { error: unknown };

/** How a message is worded now: i18n itself in a component (it reads the current language). */
export interface Wording {
  t: (key: MessageKey, params?: MessageParams) => string;
  errorText: (err: unknown) => string;
}

export const kept = (key: MessageKey, params?: MessageParams): KeptMessage => (params ? { key, params } : { key });
export const failure = (error: unknown): Failure => ({ error });

export function keptText(m: KeptMessage, w: Wording): string {
  return 'key' in m ? w.t(m.key, m.params) : 'error' in m ? w.errorText(m.error) : m.text;
}
