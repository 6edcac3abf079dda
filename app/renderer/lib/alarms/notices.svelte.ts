/**
 * The answer to every alarm action, shown on the banner where the operator
 * looks: what was done, or why it was refused (in the station's words,
 * translated). A refusal stays longer than a confirmation.
 */
export type NoticeKind = 'done' | 'refused' | 'info';

export interface Notice {
  id: number;
  kind: NoticeKind;
  /** In the language shown now: a switch of language rewords a notice still on screen. */
  readonly text: string;
  /** Console time it was shown (ms). */
  at: number;
}

const SHOW_MS: Record<NoticeKind, number> = { done: 6000, info: 6000, refused: 15000 };

class Notices {
  current = $state.raw<Notice | null>(null);
  private next = 1;
  private timer: ReturnType<typeof setTimeout> | null = null;

  /** `text`: a function that words it (t(...)), so that it follows the language; a string stays as given. */
  show(kind: NoticeKind, text: string | (() => string)): void {
    if (this.timer) clearTimeout(this.timer);
    const words = typeof text === 'string' ? () => text : text;
    const notice: Notice = { id: this.next++, kind, at: Date.now(), get text() { return words(); } };
    this.current = notice;
    this.timer = setTimeout(() => {
      if (this.current?.id === notice.id) this.current = null;
    }, SHOW_MS[kind]);
  }

  dismiss(): void {
    if (this.timer) clearTimeout(this.timer);
    this.current = null;
  }
}

export const notices = new Notices();
