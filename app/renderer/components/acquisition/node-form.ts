/**
 * What the browse panel's node detail says in the console's words rather than the browser's: a
 * DateTime value as the console writes times (not the wire's ISO text), and what is wrong with a
 * tag name before it is sent (the browser's own check bubbles up in its language, not the console's,
 * and never says which characters a tag name may have).
 */
import type { NodeDetail } from '../../../shared/api.js';
import { id } from '../../../shared/config/ids.js';
import type { Formats, MessageKey, MessageParams } from '../../../shared/i18n/index.js';

type Words = (key: MessageKey, params?: MessageParams) => string;

/** A node's live value as shown: numbers by `num`, a DateTime by the console's date and time, text as it is. */
export function nodeValueText(detail: Pick<NodeDetail, 'value' | 'builtIn'>, fmt: Pick<Formats, 'dateTime'>, num: (v: number) => string, t: Words): string {
  const v = detail.value;
  if (v === null) return t('browse.none');
  if (typeof v === 'number') return num(v);
  if (typeof v === 'string' && detail.builtIn === 'DateTime') {
    const ms = Date.parse(v);
    if (Number.isFinite(ms)) return fmt.dateTime(ms);
  }
  return String(v);
}

/** Why `name` cannot name a tag (the station's own rule for tag names, shared/config/ids.ts); null when it can. */
export function tagNameProblem(name: string, t: Words): string | null {
  if (name === '') return t('browse.add.nameEmpty');
  return id.safeParse(name).success ? null : t('browse.add.nameBad', { text: name });
}
