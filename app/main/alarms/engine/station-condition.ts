/**
 * Conditions the station raises about itself (kind 'sync': an upstream whose
 * data wait too long, is paused or stopped; archive data that aged out
 * unsent). There is no value to evaluate: the caller says raised, with the
 * text of the moment, or normal. The text rides in the definition's spec, so
 * the journal line of the activation carries it (and that of a new text while
 * raised: messageChanged, engine.ts), and a config reload that redefines the
 * alarm keeps it. The text last journaled is kept across a
 * restart (PersistedAlarm.raisedText): nothing raises sync-lost again after one.
 */
import type { AlarmDef, PersistedAlarm, RaisedText } from './types.js';

export type { RaisedText } from './types.js';

/** Its text is the caller's of the moment, not the config's: kept across a restart (a config alarm's comes from the config, edits and all). */
export function takesRaisedText(def: AlarmDef): boolean {
  return def.evaluator.kind === 'sync';
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

/** The kept text, if the row has one in the shape written (older rows have none): else null, the definition's text. */
export function keptRaisedText(p: PersistedAlarm): RaisedText | null {
  const r = p.raisedText as Partial<RaisedText> | undefined;
  return typeof r?.message === 'string' && typeof r.text?.key === 'string' && typeof r.text.params === 'object' ? (r as RaisedText) : null;
}
