/**
 * The floor under the wait before a first attempt without an answer is said (server-link.ts
 * noAnswerFloor, NO_ANSWER_MIN_MS = 10 s at a station) lowered to `ms`: for tests that watch it
 * said, not the ten seconds. Returns the undo.
 */
import { noAnswerFloor } from '../server-link.js';

export function fastNoAnswer(ms: number): () => void {
  const before = noAnswerFloor.ms;
  noAnswerFloor.ms = ms;
  return () => void (noAnswerFloor.ms = before);
}
