/**
 * The answer to every alarm action, shown on the banner where the operator
 * looks: what was done, or why it was refused (in the station's words,
 * translated). A refusal stays longer than a confirmation.
 */
export type NoticeKind = 'done' | 'refused' | 'info';

export interface Notice {
  id: number;
  kind: NoticeKind;
  text: string;
  /** Console time it was shown (ms). */
  at: number;
}

const SHOW_MS: Record<NoticeKind, number> = { done: 6000, info: 6000, refused: 15000 };

class Notices {
  current = $state<Notice | null>(null);
  private next = 1;
  private timer: ReturnType<typeof setTimeout> | null = null;

  show(kind: NoticeKind, text: string): void {
    if (this.timer) clearTimeout(this.timer);
    const notice = { id: this.next++, kind, text, at: Date.now() };
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
