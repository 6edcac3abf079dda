/**
 * A value's accessible name: its name, its value with unit, the age of a held value and its badge,
 * then its tag's alarm, joined with the language's punctuation ("Level: 12.50 m (5 min ago), COMM.
 * In alarm: …"; "1号罐液位：12.50 m（5分钟前），通信。报警：…").
 */
import { joined } from './joined.js';
import type { Lang, ValueView } from './value-view.js';

export function valueLabel(name: string, v: Pick<ValueView, 'text' | 'unit' | 'badgeText'>, age: string | null, alarm: string | null, lang: Lang): string {
  const value = `${v.text}${v.unit ? ` ${v.unit}` : ''}`;
  const aged = age ? lang.t('common.aside', { first: value, aside: age }) : value;
  const label = lang.t('common.labelled', { name, value: joined(lang.t, 'common.phrases', [aged, v.badgeText]) });
  return joined(lang.t, 'common.sentences', [label, alarm]);
}
