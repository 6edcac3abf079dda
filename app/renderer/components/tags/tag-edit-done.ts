/**
 * What an engineer's edit of a tag row did (compression set, tag removed, or the station's refusal),
 * told to the Tags page. `say` words it when the page shows it, in the console's language of that
 * moment: made into text when the answer came, it stayed in that language after a switch.
 */
export interface TagEditDone {
  say: () => string;
  ok: boolean;
  /** The tag removed: its row's place takes the focus. */
  removed?: string;
}
