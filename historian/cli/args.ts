/**
 * Argument values of the historian CLI: times, durations, compressions.
 * A bad value throws UsageError (exit code 2) naming the option and what was expected.
 */
import type { Compression } from '../types.js';
import { parseTime } from '../csv/time.js';

export class UsageError extends Error {}

export function timeArg(option: string, raw: string | undefined): number {
  if (raw === undefined) throw new UsageError(`--${option}: required (ISO 8601 time or epoch ms)`);
  if (raw === 'now') return Date.now();
  const t = parseTime(raw, { anyRange: true }); // a query may end at 9999-12-31
  if (typeof t === 'string') throw new UsageError(`--${option}: expected ${t}; got "${raw}"`);
  return t;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "60s", "15m", "1h", "500ms", "7d", or plain ms. */
export function durationArg(option: string, raw: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|min|h|d|w)?$/.exec(raw.trim());
  if (!m) throw new UsageError(`--${option}: expected a duration such as 500ms, 60s, 15m, 1h, 7d; got "${raw}"`);
  const ms = Number(m[1]) * UNIT_MS[m[2] ?? 'ms'];
  if (!Number.isFinite(ms) || ms <= 0) throw new UsageError(`--${option}: expected a positive duration; got "${raw}"`);
  return Math.round(ms);
}

/** none | deadband:<dev>[%] | swinging-door:<dev>[%] (deviation in engineering units, or % of span). */
export function compressionArg(raw: string): Compression {
  if (raw === 'none') return { kind: 'none' };
  const m = /^(deadband|swinging-door):(\d+(?:\.\d+)?(?:e[+-]?\d+)?)(%?)$/i.exec(raw.trim());
  if (!m) throw new UsageError(`--compression: expected none, deadband:<deviation>[%] or swinging-door:<deviation>[%]; got "${raw}"`);
  const kind = m[1].toLowerCase() as 'deadband' | 'swinging-door';
  const deviation = Number(m[2]);
  return m[3] === '%' ? { kind, deviation, percentOfSpan: true } : { kind, deviation };
}

export function intArg(option: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${option}: expected an integer >= ${min}; got "${raw}"`);
  return n;
}

export function oneOf<T extends string>(option: string, raw: string | undefined, allowed: readonly T[], fallback: T): T {
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new UsageError(`--${option}: expected one of ${allowed.join(', ')}; got "${raw}"`);
  return raw as T;
}

type OptionSpecs = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/**
 * `--tz -05:00` as `--tz=-05:00`: an option that takes a value takes the next argument though it
 * starts with a minus (an offset west of UTC, a range `-10:50`, a negative epoch), as GNU getopt
 * does; node's parseArgs refuses it as ambiguous. Not an argument that is itself an option: one
 * starting with `--`, or `-h`; then a missing value stays the parser's clear error
 * (`--data --tag x`: "argument is ambiguous").
 */
export function joinDashValues(args: readonly string[], options: OptionSpecs): string[] {
  const shorts = new Set(Object.values(options).flatMap((o) => (o.short ? [o.short] : [])));
  const takesValue = (arg: string): boolean => {
    const name = /^--([^=]+)$/.exec(arg)?.[1];
    return name !== undefined && options[name]?.type === 'string';
  };
  const isOption = (arg: string) => arg.startsWith('--') || shorts.has(arg.slice(1, 2));
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      out.push(...args.slice(i)); // the rest are positionals
      break;
    }
    const next = args[i + 1];
    if (takesValue(arg) && next !== undefined && next.length > 1 && next.startsWith('-') && !isOption(next)) {
      out.push(`${arg}=${next}`);
      i++;
      continue;
    }
    out.push(arg);
  }
  return out;
}
