/**
 * An alarm's station-made text in the console's language: its key with its params, a param the
 * station also sent as a catalog message (`nested`: sync-lost's detail, the loss as the sync words
 * it) said through the same catalog and renderText as the Sync page says it (../sync-text.ts: times
 * and lists in the console's formats). A key this console does not know (a newer station's) gives
 * the station's English: the whole message for the alarm's own key, the param's English for a
 * nested one. Never a key shown as text.
 */
import type { StationText } from '../../../shared/api/alarms.js';
import type { SyncTextView } from '../../../shared/api/sync.js';
import { isMessageKey, type MessageKey, type MessageParams } from '../../../shared/i18n/index.js';
import { renderText, type TextStyle } from '../../../shared/sync-text.js';
import type { Lang } from '../value-view.js';

type Tr = (key: MessageKey, params?: MessageParams) => string;

/** Every key of a message and of the messages in it is in this console's catalog. */
function known(text: SyncTextView): boolean {
  const param = (p: SyncTextView['params'][string]): boolean => {
    if (Array.isArray(p)) return p.every((x: number | SyncTextView) => typeof x === 'number' || known(x));
    return typeof p !== 'object' || known(p as SyncTextView);
  };
  return isMessageKey(text.key) && Object.values(text.params).every(param);
}

/** `text` with `t`, nested messages written in `style`; the stored `message` where its key is unknown. */
export function alarmTextIn(text: StationText | null, message: string, t: Tr, style: TextStyle): string {
  if (!text || !isMessageKey(text.key)) return message;
  const params: MessageParams = { ...text.params };
  for (const [name, said] of Object.entries(text.nested ?? {})) {
    if (known(said)) params[name] = renderText(said, (key, p) => t(key as MessageKey, p), style);
  }
  return t(text.key, params);
}

/** The text an operator reads for an alarm (row or journal line): `text` in this console's language, else the stored `message`. */
export function alarmText(text: StationText | null, message: string, lang: Lang): string {
  return alarmTextIn(text, message, lang.t, { dateTime: (ms) => lang.fmt.dateTime(ms), list: (items) => lang.fmt.list(items), duration: (ms) => lang.fmt.duration(ms) });
}
