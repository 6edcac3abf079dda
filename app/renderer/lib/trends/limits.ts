/**
 * A tag's alarm limits for the trend (HH, H, L, LL), from the station's
 * alarm definitions (`alarms.definitions`, kept current by the console's
 * alarm store): drawn as dashed lines when "Limits" is on (overlays.ts draws
 * them, the value axis includes them). Deviation and rate-of-change limits
 * are not levels of the value, so they are not drawn.
 */
import type { AlarmDefinitions } from '../../../shared/api/alarms.js';
import type { Formats } from '../../../shared/i18n/format.js';
import type { MessageKey } from '../../../shared/i18n/index.js';
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

/** A limit line's label: the alarm catalog's short condition word in the console's language ("ВЕРХН. АВАР. 17,60"), as the banner says it. */
export function limitLabel(l: Limit, t: (key: MessageKey) => string, fmt: Formats): string {
  const word = (ORDER as readonly string[]).includes(l.name) ? t(`alarmsUi.conditionShort.${l.name as (typeof ORDER)[number]}`) : l.name;
  return `${word} ${fmt.number(l.value, 2)}`;
}
