/**
 * A tag's alarm limits for the trend (HH, H, L, LL), from the station's
 * alarm definitions (`alarms.definitions`, kept current by the console's
 * alarm store): drawn as dashed lines when "Limits" is on (overlays.ts draws
 * them, the value axis includes them). Deviation and rate-of-change limits
 * are not levels of the value, so they are not drawn.
 */
import type { AlarmDefinitions } from '../../../shared/api/alarms.js';
import { NO_RULES, quantityText, type Lang, type NumberRules } from '../value-view.js';
import type { Limit } from './overlays.js';

/** Top to bottom, the way they sit on the axis. */
const ORDER = ['HH', 'H', 'L', 'LL'] as const;

/** Each tag's HH/H/L/LL limits (those with a value), highest first. */
export function limitsByTag(defs: AlarmDefinitions | null): ReadonlyMap<string, Limit[]> {
  const byTag = new Map<string, Limit[]>();
  for (const d of defs?.alarms ?? []) {
    if (d.kind !== 'limit' || d.tag === null) continue;
    const limits = byTag.get(d.tag) ?? [];
    for (const name of ORDER) {
      const c = d.conditions.find((x) => x.condition === name);
      if (c && c.limit !== null && Number.isFinite(c.limit)) limits.push({ name, value: c.limit });
    }
    if (limits.length) byTag.set(d.tag, limits);
  }
  return byTag;
}

/**
 * A limit line's label: the alarm catalog's short condition word in the console's language and
 * the limit with the tag's unit, its number as the tag's values read ("ВЕРХН. АВАР. 17,60 m"), as
 * the banner and the alarm detail say them; led by the pen's short name when more than one pen
 * draws limits ("TK101.Level HIGH 17.00 m"), so that lines of like tanks are told apart. `tag` is
 * the pen's tag (undefined once it left the configuration: the number by its own digits, no unit).
 */
export function limitLabel(l: Limit, tag: (NumberRules & { unit: string }) | undefined, lang: Lang, pen: string | null = null): string {
  const word = (ORDER as readonly string[]).includes(l.name) ? lang.t(`alarmsUi.conditionShort.${l.name as (typeof ORDER)[number]}`) : l.name;
  const limit = `${word} ${quantityText(tag ?? NO_RULES, l.value, tag?.unit ?? '', lang)}`;
  return pen === null ? limit : lang.t('trends.limits.penLabel', { tag: pen, limit });
}

/**
 * Where limit labels go so that none covers another: `want` is each label's wanted top (just
 * above its line), all `height` tall; the answer is each label's top, in the same order. Labels
 * that would overlap are stacked, the stack centred on where its labels want to be (the least
 * total move), and kept within [min, max]. The lines stay where they are; a label moved off its
 * line is joined to it by a leader.
 */
export function spreadLabels(want: readonly number[], height: number, min: number, max: number): number[] {
  const order = want.map((_, i) => i).sort((a, b) => want[a]! - want[b]! || a - b);
  /** Stacks of labels (in `order`, from `first`, `n` of them), `sum` the wanted tops less their place in the stack. */
  const stacks: { first: number; n: number; sum: number; top: number }[] = [];
  const place = (s: { n: number; sum: number; top: number }) => (s.top = Math.max(min, Math.min(max - s.n * height, s.sum / s.n)));
  order.forEach((i, k) => {
    const s = { first: k, n: 1, sum: want[i]!, top: 0 };
    place(s);
    stacks.push(s);
    for (let last = stacks.at(-1)!, prev = stacks.at(-2); prev && prev.top + prev.n * height > last.top; last = stacks.at(-1)!, prev = stacks.at(-2)) {
      prev.sum += last.sum - last.n * prev.n * height;
      prev.n += last.n;
      place(prev);
      stacks.pop();
    }
  });
  const top = new Array<number>(want.length);
  for (const s of stacks) for (let j = 0; j < s.n; j++) top[order[s.first + j]!] = s.top + j * height;
  return top;
}

/** A limit line as drawLimits (overlays.ts) labels it: its pixel row, its label without the pen, and its pen. */
export interface LabelledLine {
  y: number;
  /** The label without the pen's name (condition, value and unit): alike lines say the same. */
  plain: string;
  pen: string;
}

/**
 * Limit lines with alike ones (like tanks: the same condition and value with the same unit, on the
 * same pixel row) under one label naming their pens together ("TK101.Level, TK102.Level HIGH HIGH
 * 17.60 m"), in the order they came. Four level pens of two pairs of like tanks drew 16 labels in a
 * 260 px plot at 1280x720, and the last ran off its bottom; together they are 8, all of them read.
 * Always, not only when they do not fit: a taller plot (a language whose texts wrap less) drew 16.
 * `members`: every line under the label (a "+N limits" label names them all when it is left out).
 */
export function alikeLabels<T extends LabelledLine>(lines: readonly T[]): { line: T; pens: string[]; members: T[] }[] {
  const groups = new Map<string, { line: T; pens: string[]; members: T[] }>();
  for (const l of lines) {
    const key = `${l.y}\u0000${l.plain}`;
    const g = groups.get(key);
    if (g) {
      g.members.push(l);
      if (!g.pens.includes(l.pen)) g.pens.push(l.pen);
    } else groups.set(key, { line: l, pens: [l.pen], members: [l] });
  }
  return [...groups.values()];
}


/**
 * Which labels keep their place when not all fit: the alarm limits at the ends (HIGH HIGH, LOW LOW)
 * before the inner ones (HIGH, LOW), then any other; in the order they came within a rank.
 */
export function limitRank(name: string): number {
  return name === 'HH' || name === 'LL' ? 0 : name === 'H' || name === 'L' ? 1 : 2;
}

/** Where drawLimits puts its labels: `top[i]` for each label it draws (null: not drawn), and the "+N limits" label. */
export interface LimitLabelPlan {
  top: (number | null)[];
  /** The labels not drawn, in the order they came: the "+N limits" label names them (its tooltip) and the pen list lists them. */
  hidden: number[];
  /** The "+N limits" label's top, at the plot's bottom; null when every label is drawn, or when not even it fits. */
  more: number | null;
}

/**
 * Limit labels `height` tall within [min, max], none outside it. While all fit they are spread as
 * spreadLabels does; else the first ranked (limitRank) take all rows but the last, spread above it,
 * and the last row says how many are left out ("+3 limits"): the plot's height is all there is, and
 * a stack that ran past its bottom was cut off unseen.
 */
export function planLimitLabels(want: readonly number[], rank: readonly number[], height: number, min: number, max: number): LimitLabelPlan {
  const rows = Math.floor((max - min) / height + 1e-9);
  if (want.length <= rows) return { top: spreadLabels(want, height, min, max), hidden: [], more: null };
  const byRank = want.map((_, i) => i).sort((a, b) => rank[a]! - rank[b]! || a - b);
  const kept = byRank.slice(0, Math.max(0, rows - 1)).sort((a, b) => a - b);
  const tops = spreadLabels(kept.map((i) => want[i]!), height, min, max - height);
  const top = new Array<number | null>(want.length).fill(null);
  kept.forEach((i, k) => (top[i] = tops[k]!));
  return { top, hidden: want.map((_, i) => i).filter((i) => top[i] === null), more: rows >= 1 ? max - height : null };
}
