/**
 * Texts joined in code with the language's punctuation (the catalog's common.clauses, .phrases,
 * .enumerated, .sentences, .dashed): "a; b" in English and Russian, "a；b" in Chinese; "a — b" and
 * "a——b". Empty parts are left out.
 */
import type { MessageKey, MessageParams } from '../../shared/i18n/index.js';

type Translate = (key: MessageKey, params?: MessageParams) => string;
export type Joint = 'common.clauses' | 'common.phrases' | 'common.enumerated' | 'common.sentences' | 'common.dashed';

export function joined(t: Translate, joint: Joint, parts: readonly (string | null | undefined)[]): string {
  const kept = parts.filter((p): p is string => !!p);
  return kept.length === 0 ? '' : kept.reduce((first, then) => t(joint, { first, then }));
}

/** The dash alone (" — ", Chinese "——"), for markup that joins two elements (<strong>head</strong>{dash(t)}rest). */
export function dash(t: Translate): string {
  return t('common.dashed', { first: '', then: '' });
}
