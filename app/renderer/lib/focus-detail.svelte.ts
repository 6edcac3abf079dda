/**
 * The value that has the keyboard focus (or the pointer), so its status,
 * source time and age can be read in one place at the foot of the screen:
 * tooltips are for mice, control rooms run on keyboards.
 */
class FocusDetail {
  tag = $state<string | null>(null);

  show(tag: string): void {
    this.tag = tag;
  }

  hide(tag: string): void {
    if (this.tag === tag) this.tag = null;
  }
}

export const focusDetail = new FocusDetail();
