/**
 * A dialog's message about what the operator typed or sent ("A reason is required.", a length it
 * cannot read, the station's refusal). It names the fields it is about, as they were then, and
 * stands only while they still are: once the operator changes one, it no longer describes the
 * screen (a reason typed under "A reason is required." made the dialog contradict itself).
 * The message is text, or T: what it says, worded when shown (kept-message.ts), so that it follows
 * a switch of language.
 */
export interface RaisedProblem<F extends object, T = string> {
  text: T;
  fields: F;
}

export function raise<F extends object, T = string>(text: T, fields: F): RaisedProblem<F, T> {
  return { text, fields: { ...fields } };
}

/** The message to show for the fields as they are now; null once one it is about has changed. */
export function problemNow<F extends object, T = string>(raised: RaisedProblem<Partial<F>, T> | null, now: F): T | null {
  if (raised === null) return null;
  for (const key of Object.keys(raised.fields) as (keyof F)[]) if (!Object.is(raised.fields[key], now[key])) return null;
  return raised.text;
}
