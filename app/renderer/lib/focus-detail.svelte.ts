/**
 * The value (or chip) that has the keyboard focus (or the pointer), so its status,
 * source time and age can be read in one place at the foot of the screen:
 * tooltips are for mice, control rooms run on keyboards.
 */

/** A focused thing that is not a tag's value (a server chip): a heading and its lines, read when shown. */
export interface OtherDetail {
  id: string;
  read(): { head: string; lines: string[] };
}

class FocusDetail {
  tag = $state<string | null>(null);
  other = $state.raw<OtherDetail | null>(null);

  show(tag: string): void {
    this.tag = tag;
    this.other = null;
  }

  hide(tag: string): void {
    if (this.tag === tag) this.tag = null;
  }

  /** Shows another thing's detail; `read` is called by the foot line, so the detail follows its state. */
  showOther(detail: OtherDetail): void {
    this.other = detail;
    this.tag = null;
  }

  hideOther(id: string): void {
    if (this.other?.id === id) this.other = null;
  }
}

export const focusDetail = new FocusDetail();
