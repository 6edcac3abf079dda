/** The operator's pick of trend pens, kept while they visit other pages. */
import type { TagInfo } from '../../shared/api.js';
import { MAX_PENS } from './trend-pens.js';

class TrendSelection {
  names = $state<string[]>([]);
  /** False until a default was offered once, so an emptied pick stays empty. */
  private seeded = false;

  /** First visit: the level of each tank (up to 4), the values an operator watches first. */
  seed(tags: TagInfo[]): void {
    if (this.seeded || tags.length === 0) return;
    this.seeded = true;
    this.names = tags.filter((t) => t.role === 'level').slice(0, 4).map((t) => t.name);
  }

  toggle(name: string): void {
    if (this.names.includes(name)) this.names = this.names.filter((n) => n !== name);
    else if (this.names.length < MAX_PENS) this.names = [...this.names, name];
  }
}

export const trendSelection = new TrendSelection();
