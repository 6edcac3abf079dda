/**
 * Conditions the station raises about itself (kind 'sync': an upstream whose
 * data wait too long, is paused or stopped; archive data that aged out
 * unsent). There is no value to evaluate: the caller says raised, with the
 * text of the moment, or normal. The text rides in the definition's spec, so
 * the journal line of the activation carries it, and a config reload that
 * redefines the alarm keeps it.
 */
import type { AlarmDef, ConditionSpec } from './types.js';

export interface RaisedText {
  /** English, for the journal and the exports. */
  message: string;
  /** The same in the console's language. */
  text: NonNullable<ConditionSpec['text']>;
}

export function withRaisedText(def: AlarmDef, t: RaisedText): AlarmDef {
  const e = def.evaluator;
  if (e.kind !== 'sync') return def;
  return { ...def, evaluator: { kind: 'sync', spec: { ...e.spec, message: t.message, text: t.text } } };
}

/** A redefinition from the config (generic text) keeps the text the alarm was raised with. */
export function keepRaisedText(next: AlarmDef, current: AlarmDef): AlarmDef {
  const c = current.evaluator;
  if (next.kind !== 'sync' || c.kind !== 'sync' || !c.spec.text) return next;
  return withRaisedText(next, { message: c.spec.message, text: c.spec.text });
}
