/**
 * Alarm definitions (ISA-18.2): per tag an `alarms:` block, and one station
 * `alarms:` section for priorities, shelving limits, flood, journal, KPI and
 * keys. Cross-references (tags named by suppressWhen / setpointTag, limits in
 * order and within the tag's range, % deadbands on tags with a range) are checked by checkAlarms, which
 * config.ts runs over the whole config.
 */
import { z } from 'zod';
import { id } from './ids.js';
import { roles } from '../permissions.js';
import { keysOf, parsed, type Entries } from './parts.js';
import type { IssueSink } from './station-checks.js';

const priority = z.number().int().min(1, 'expected a priority 1..4').max(4, 'expected a priority 1..4');
/** The longest on- or off-delay (s): the config's bound and the edit API's. */
export const MAX_DELAY_S = 3600;
const seconds = z.number().min(0, 'expected seconds >= 0').max(MAX_DELAY_S, `expected at most ${MAX_DELAY_S} s`);
const text = z.string().trim().min(1);

/** ISA-18.2 rationalization, shown with the alarm. */
const rationale = {
  cause: text.optional(),
  consequence: text.optional(),
  action: text.optional(),
};

/** One limit of an exclusive limit alarm. */
export const limitSchema = z.strictObject({ value: z.number(), priority, message: text, ...rationale });

/** What each kind of alarm may set for itself (otherwise the tag block's value applies). */
const behaviour = {
  onDelayS: seconds.optional(),
  offDelayS: seconds.optional(),
  latching: z.boolean().optional(),
  shelvable: z.boolean().optional(),
};

/** The longest frozen-value window (s): a week; longer hides a stuck transmitter for most of a campaign. */
export const MAX_FROZEN_S = 7 * 24 * 3600;
const frozenAfter = z
  .number()
  .positive('expected seconds > 0 (how long a live value may stay exactly the same)')
  .max(MAX_FROZEN_S, `expected at most ${MAX_FROZEN_S} s (a week)`);

/** Suppression by design: the alarm is meaningless while this holds (e.g. the pump is stopped). */
export const suppressRuleSchema = z
  .strictObject({
    tag: id,
    equals: z.union([z.boolean(), z.number(), z.string()]).optional(),
    below: z.number().optional(),
    above: z.number().optional(),
  })
  .refine((r) => [r.equals, r.below, r.above].filter((x) => x !== undefined).length === 1, {
    message: 'expected exactly one of equals, below, above',
  });

/** A return-to-normal hysteresis of more than half the span would keep an alarm in forever. */
export const MAX_DEADBAND_PERCENT = 50;

export const tagAlarmsSchema = z
  .strictObject({
    /** Return-to-normal hysteresis in engineering units... */
    deadband: z.number().nonnegative().optional(),
    /** ...or in % of the tag's range (needs range). */
    deadbandPercent: z.number().nonnegative().max(MAX_DEADBAND_PERCENT).optional(),
    onDelayS: seconds.default(0),
    offDelayS: seconds.default(0),
    latching: z.boolean().default(false),
    /** Safety (SIS) alarms: false, and shelving is refused. */
    shelvable: z.boolean().default(true),
    /** Any rule holding suppresses every alarm of this tag (state G). */
    suppressWhen: z.union([suppressRuleSchema, z.array(suppressRuleSchema).min(1)]).optional(),
    limits: z
      .strictObject({ HH: limitSchema.optional(), H: limitSchema.optional(), L: limitSchema.optional(), LL: limitSchema.optional() })
      .refine((l) => l.HH || l.H || l.L || l.LL, { message: 'expected at least one of HH, H, L, LL' })
      .optional(),
    deviation: z
      .strictObject({
        setpoint: z.number().optional(),
        setpointTag: id.optional(),
        /** value: the deviation above (high) or below (low) the setpoint, > 0. */
        high: limitSchema.extend({ value: z.number().positive() }).optional(),
        low: limitSchema.extend({ value: z.number().positive() }).optional(),
        ...behaviour,
      })
      .refine((d) => (d.setpoint === undefined) !== (d.setpointTag === undefined), { message: 'expected exactly one of setpoint, setpointTag' })
      .refine((d) => d.high || d.low, { message: 'expected high, low or both' })
      .optional(),
    rateOfChange: z
      .strictObject({
        /** Units per minute, > 0. */
        limit: z.number().positive(),
        direction: z.enum(['rising', 'falling', 'both']).default('both'),
        /** The rate is measured over this window. */
        windowS: z.number().positive().max(3600).default(60),
        priority,
        message: text,
        ...rationale,
        ...behaviour,
      })
      .optional(),
    /** Discrete state alarm: active while the value equals `when`. */
    state: z
      .strictObject({ when: z.union([z.boolean(), z.number(), z.string()]).default(true), priority, message: text, ...rationale, ...behaviour })
      .optional(),
    /** Active while the tag's status is bad for a reason other than lost communication. */
    badQuality: z.strictObject({ priority, message: text.optional(), ...rationale, ...behaviour }).optional(),
    /**
     * Frozen value (analog only): active once a Good value has not changed at all for afterS seconds
     * of live data (a stuck transmitter); normal again at the next change. afterS must exceed the
     * longest time a live value of the tag stays exactly the same (its noise, its deadband).
     */
    frozen: z.strictObject({ afterS: frozenAfter, priority, message: text.optional(), ...rationale, ...behaviour }).optional(),
  })
  .refine((a) => a.deadband === undefined || a.deadbandPercent === undefined, {
    message: 'expected deadband (units) or deadbandPercent (% of span), not both',
    path: ['deadbandPercent'],
  });

const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour #rrggbb');
const priorityStyle = z.strictObject({ name: text, colour, shape: z.enum(['square', 'triangle', 'diamond', 'circle']) });
/** A key as KeyboardEvent.key names it, with modifiers: F1..F24, Space, Enter, arrows, a letter or digit. */
const keyName = /^((Shift|Ctrl|Alt)\+)*(F([1-9]|1[0-9]|2[0-4])|Space|Enter|Escape|Tab|Backspace|Delete|Insert|Home|End|PageUp|PageDown|Arrow(Up|Down|Left|Right)|[A-Z0-9])$/;
const keyList = z.array(z.string().regex(keyName, 'expected a key name such as F10, Space, Shift+F10, F22'));

/** F13–F24 of operator keyboards alias F1–F12 (F7 shelve = F19, F10 ack = F22). */
export const defaultAlarmKeys = {
  silence: ['F9', 'F21'],
  ackSelected: ['F10', 'Space', 'F22'],
  ackPage: ['Shift+F10', 'Shift+F22'],
  summary: ['F8', 'F20'],
  shelve: ['F7', 'F19'],
  selectUp: ['ArrowUp'],
  selectDown: ['ArrowDown'],
  goToDisplay: ['Enter'],
};

export const alarmSettingsSchema = z
  .strictObject({
    priorities: z
      .strictObject({ 1: priorityStyle, 2: priorityStyle, 3: priorityStyle, 4: priorityStyle })
      .default({
        1: { name: 'Critical', colour: '#e53935', shape: 'square' },
        2: { name: 'High', colour: '#fb8c00', shape: 'triangle' },
        3: { name: 'Medium', colour: '#fdd835', shape: 'diamond' },
        4: { name: 'Low', colour: '#1e88e5', shape: 'circle' },
      }),
    shelving: z
      .strictObject({
        /** Longest timed shelve per role; a role not listed may not shelve. */
        maxMinutes: z.partialRecord(z.enum(roles), z.number().positive().max(7 * 24 * 60)).default({ operator: 480, supervisor: 1440 }),
      })
      .prefault({}),
    flood: z
      .strictObject({ windowMinutes: z.number().positive().default(10), startAbove: z.number().int().positive().default(10), endBelow: z.number().int().positive().default(5) })
      .prefault({}),
    /** The alarm raised per server when communication is lost. */
    communication: z
      .strictObject({ priority: priority.default(1), shelvable: z.boolean().default(false), ...rationale })
      .prefault({}),
    /** The alarm raised per sync upstream (backlog older than sync.backlogAlarmAfterSec, paused, stopped) and when archive data aged out unsent. */
    sync: z
      .strictObject({ priority: priority.default(3), shelvable: z.boolean().default(true), ...rationale })
      .prefault({}),
    journal: z.strictObject({ retentionDays: z.number().int().min(1).default(400) }).prefault({}),
    kpi: z
      .strictObject({
        operators: z.number().int().positive().default(1),
        /** Active and back to normal within this: fleeting. */
        fleetingSeconds: z.number().positive().default(5),
        staleHours: z.number().positive().default(24),
        chatteringCount: z.number().int().min(2).default(3),
        chatteringWindowS: z.number().positive().default(60),
      })
      .prefault({}),
    keys: z
      .strictObject({
        silence: keyList.default(defaultAlarmKeys.silence),
        ackSelected: keyList.default(defaultAlarmKeys.ackSelected),
        ackPage: keyList.default(defaultAlarmKeys.ackPage),
        summary: keyList.default(defaultAlarmKeys.summary),
        shelve: keyList.default(defaultAlarmKeys.shelve),
        selectUp: keyList.default(defaultAlarmKeys.selectUp),
        selectDown: keyList.default(defaultAlarmKeys.selectDown),
        goToDisplay: keyList.default(defaultAlarmKeys.goToDisplay),
      })
      .prefault({}),
  })
  .refine((s) => s.flood.endBelow <= s.flood.startAbove, { message: 'expected flood.endBelow <= flood.startAbove', path: ['flood', 'endBelow'] })
  .superRefine((s, ctx) => {
    // One key, one alarm action: a key in two lists would do whichever the console checks first.
    const owner = new Map<string, string>();
    for (const [action, keys] of Object.entries(s.keys)) {
      keys.forEach((key, i) => {
        const other = owner.get(key.toLowerCase());
        if (other !== undefined && other !== action) ctx.addIssue({ code: 'custom', path: ['keys', action, i], message: `"${key}" is already the key of ${other}: expected each key in one list only` });
        else owner.set(key.toLowerCase(), action);
      });
    }
    const { operator, supervisor } = s.shelving.maxMinutes;
    if (operator !== undefined && supervisor !== undefined && operator > supervisor) {
      ctx.addIssue({ code: 'custom', path: ['shelving', 'maxMinutes', 'operator'], message: `expected at most the supervisor's ${supervisor} minutes (an operator may not shelve longer than a supervisor); got ${operator}` });
    }
  });

export type TagAlarms = z.output<typeof tagAlarmsSchema>;
export type AlarmSettings = z.output<typeof alarmSettingsSchema>;
export type SuppressRule = z.output<typeof suppressRuleSchema>;
export type LimitConfig = z.output<typeof limitSchema>;

interface TagLike {
  name: string;
  kind: 'analog' | 'discrete' | 'text';
  range?: [number, number] | undefined;
  unit?: string | undefined;
  alarms?: TagAlarms | undefined;
}

/** What a state alarm's `when` can equal, by the tag's kind (the engine compares a discrete state with true/false or 0/1). */
const STATE_WHEN = {
  analog: 'a number (its value is a number)',
  discrete: 'true, false or a number (its value is a state)',
  text: 'a text (its value is a text)',
} as const;

function stateFits(kind: TagLike['kind'], when: boolean | number | string): boolean {
  if (kind === 'analog') return typeof when === 'number';
  if (kind === 'text') return typeof when === 'string';
  return typeof when !== 'string';
}

/**
 * Checks what spans tags: referenced tags exist, limits are in order and within the tag's range, kinds fit the tag.
 * Tags with schema errors are skipped; a reference to one (by its name as written) is not unknown.
 */
export function checkAlarms(tags: Entries<TagLike>, ctx: IssueSink): void {
  const kinds = new Map(parsed(tags).map(({ value: t }) => [t.name, t.kind]));
  const names = keysOf(tags);
  for (const { value: t, index: i } of parsed(tags)) {
    const a = t.alarms;
    if (!a) continue;
    const at = (...path: (string | number)[]) => ['tags', i, 'alarms', ...path];
    // text: the catalog key a console says it with (an engineer's edit refused at the console, app/main/alarms/handlers.ts).
    const issue = (path: (string | number)[], message: string, text?: { key: string; params: Record<string, string | number> }) =>
      ctx.addIssue({ code: 'custom', path, message, ...(text ? { params: { text } } : {}) });
    const rules = a.suppressWhen === undefined ? [] : Array.isArray(a.suppressWhen) ? a.suppressWhen : [a.suppressWhen];
    rules.forEach((r, k) => {
      const path = Array.isArray(a.suppressWhen) ? at('suppressWhen', k, 'tag') : at('suppressWhen', 'tag');
      if (!names.has(r.tag)) {
        if (names.complete) issue(path, `unknown tag "${r.tag}"`);
      } else if (r.tag === t.name) issue(path, 'a tag cannot suppress its own alarms');
    });
    const setpointTag = a.deviation?.setpointTag;
    if (setpointTag !== undefined) {
      const kind = kinds.get(setpointTag);
      if (!names.has(setpointTag)) {
        if (names.complete) issue(at('deviation', 'setpointTag'), `unknown tag "${setpointTag}"`);
      } else if (kind !== undefined && kind !== 'analog') issue(at('deviation', 'setpointTag'), `a setpoint tag must be analog; ${setpointTag} is ${kind}`);
    }
    if (a.state && !stateFits(t.kind, a.state.when)) {
      issue(at('state', 'when'), `a state alarm on ${t.kind} tag ${t.name} needs when: ${STATE_WHEN[t.kind]}, got ${JSON.stringify(a.state.when)}`);
    }
    if (a.deadbandPercent !== undefined && !t.range) {
      issue(at('deadbandPercent'), 'missing range: a deadband in % of span needs the tag\'s range: [low, high]', { key: 'alarms.refused.percentNeedsRange', params: { tag: t.name } });
    }
    // Only a measurement moves on its own: a switch, a pump state or a text holds its value for days.
    if (a.frozen && t.kind !== 'analog') issue(at('frozen'), `a frozen-value alarm needs an analog tag (a ${t.kind} value legitimately holds); ${t.name} is ${t.kind}`);
    const numeric = a.limits || a.deviation || a.rateOfChange;
    if (numeric && t.kind !== 'analog') issue(at(a.limits ? 'limits' : a.deviation ? 'deviation' : 'rateOfChange'), `limits, deviation and rate of change need an analog tag; ${t.name} is ${t.kind}`);
    if (a.limits) {
      // A limit outside the EU range never trips: the transmitter saturates at its range (a limit at its end does: v >= HH).
      const range = t.range;
      if (range) {
        for (const k of ['HH', 'H', 'L', 'LL'] as const) {
          const v = a.limits[k]?.value;
          if (v !== undefined && (v < range[0] || v > range[1])) {
            issue(at('limits', k, 'value'), `expected ${k} within the tag's range [${range[0]}, ${range[1]}] (a limit outside it can never trip: the transmitter saturates at its range); got ${v}`,
              { key: 'alarms.refused.limitOutsideRange', params: { condition: k, value: v, low: range[0], high: range[1], unit: unitSuffix(t.unit) } });
          }
        }
      }
      const order = (['LL', 'L', 'H', 'HH'] as const).filter((k) => a.limits?.[k]);
      for (let k = 1; k < order.length; k++) {
        const lo = order[k - 1]!, hi = order[k]!;
        if (a.limits[lo]!.value >= a.limits[hi]!.value) {
          issue(at('limits', hi, 'value'), `expected ${hi} (${a.limits[hi]!.value}) above ${lo} (${a.limits[lo]!.value})`,
            { key: 'alarms.refused.limitOrder', params: { higher: hi, higherValue: a.limits[hi]!.value, lower: lo, lowerValue: a.limits[lo]!.value } });
        }
      }
    }
  }
}

/** A unit as the refusals write it after a number ("17,6 °C"): a narrow no-break space before it; nothing without one. */
export function unitSuffix(unit: string | undefined): string {
  return unit ? `\u202f${unit}` : '';
}
