/**
 * An analog tag's configured unit and range against its variable's EngineeringUnits and EURange
 * (Part 8 AnalogItemType). A value that comes with SemanticsChanged (Part 4 §7.39.1: "Clients
 * should not process the data value unless they re-read the metadata"; Part 8 makes the bit
 * mandatory for AnalogItems when those change) is held, with the tag's values after it, until they
 * are read again. So is every value of a watched tag on a new connection until its units are read
 * (HeldForUnits.confirm): units changed while no session watched come with no SemanticsChanged.
 * When they no longer match the tag's config, its values carry BadConfigurationError
 * and no value until an engineer corrects the config or the server's match again: a transmitter
 * re-ranged from bar to MPa read 1.52 "bar", Good, while the process stood at 15.2 bar above a 12 bar
 * HH limit.
 */
import type { TagConfigEntry } from '../../shared/config.js';
import type { MessageRef } from '../../shared/api/acquisition.js';
import { BadConfigurationError, SemanticsChanged, StructureChanged, isBad } from '../../../historian/status.js';
import type { AcquiredSample } from './sample.js';

/** What the server says of a variable's units: null where it has no such property (or none usable). */
export interface ServerUnits {
  unit: string | null;
  range: [number, number] | null;
  /** The unit's UNECE common code ("KPA"), from its EUInformation.unitId, when the server gives one (units-read.ts). */
  unece?: string;
}

/**
 * UNECE Recommendation 20 common codes (Part 8 §5.6.3: EUInformation.unitId) of process units, with
 * the symbols a config writes for each. A unit's DisplayName is for display and varies with the
 * server's language and typography (千帕 for kPa, ℃ for °C, m3/h for m³/h): compared as text alone,
 * a server giving the configured unit in other words had its values marked bad though good.
 */
const UNECE_SYMBOLS: Readonly<Record<string, readonly string[]>> = {
  BAR: ['bar'], MBR: ['mbar'], A97: ['hPa'], PAL: ['Pa'], KPA: ['kPa'], MPA: ['MPa'],
  CEL: ['°C', '℃'], FAH: ['°F', '℉'], KEL: ['K'],
  P1: ['%'], 59: ['ppm'],
  MTR: ['m'], CMT: ['cm'], MMT: ['mm'], MTQ: ['m³', 'm3'], MQH: ['m³/h', 'm3/h'], LTR: ['l', 'L'],
  KGM: ['kg'], TNE: ['t'], KGS: ['kg/s'],
  SEC: ['s'], MIN: ['min'], HTZ: ['Hz'], RPM: ['rpm', 'r/min'], MTS: ['m/s'],
  AMP: ['A'], VLT: ['V'], WTT: ['W'], KWT: ['kW'], MAW: ['MW'],
};

/** The common code an EUInformation.unitId carries (its characters, one byte each, first the highest) when it is one of UNECE_SYMBOLS; else null. */
export function uneceCode(unitId: number): string | null {
  if (!Number.isInteger(unitId) || unitId <= 0) return null;
  let code = '';
  for (let shift = 24; shift >= 0; shift -= 8) {
    const c = (unitId >>> shift) & 0xff;
    if (c === 0) continue;
    if (c < 0x20 || c > 0x7e) return null;
    code += String.fromCharCode(c);
  }
  return Object.hasOwn(UNECE_SYMBOLS, code) ? code : null;
}

/** The configured unit is the server's: the same text (trimmed), or a symbol of the unit its UNECE code names. */
function sameUnit(configured: string, server: ServerUnits): boolean {
  if (server.unit === null || server.unit.trim() === configured) return true;
  return server.unece !== undefined && (UNECE_SYMBOLS[server.unece]?.includes(configured) ?? false);
}

type Configured = Pick<TagConfigEntry, 'unit' | 'range'>;

/** An analog tag with a unit or range configured: the one whose values a change of units falsifies. */
export function unitsWatched(tag: TagConfigEntry): boolean {
  return tag.kind === 'analog' && (Boolean(tag.unit?.trim()) || tag.range !== undefined);
}

/** Range ends equal within a millionth of the span: an EURange sent as Float is still the configured one. */
function sameRange(a: readonly [number, number], b: readonly [number, number]): boolean {
  const eps = (Math.abs(a[1] - a[0]) || 1) * 1e-6;
  return Math.abs(a[0] - b[0]) <= eps && Math.abs(a[1] - b[1]) <= eps;
}

/**
 * Whether the server's units contradict the tag's config. What the tag does not configure, or the
 * server does not say, is no contradiction. Units compare as written (trimmed): "MPa" is not "mPa";
 * or by the UNECE code the server gives (UNECE_SYMBOLS), whatever its DisplayName says.
 */
export function unitsDiffer(tag: Configured, server: ServerUnits): boolean {
  const unit = tag.unit?.trim();
  if (unit && !sameUnit(unit, server)) return true;
  return tag.range !== undefined && server.range !== null && !sameRange(tag.range, server.range);
}

/** "MPa [0, 1.6]": units and numbers as the server and the config write them, the same in every language. */
export function unitsText(units: { unit?: string | null | undefined; range?: readonly [number, number] | null | undefined }): string {
  const parts = [units.unit?.trim() || null, units.range ? `[${units.range[0]}, ${units.range[1]}]` : null].filter((p) => p !== null);
  return parts.length > 0 ? parts.join(' ') : '—';
}

/** Why a tag's values are marked: for tags.sources (the Tags page) and the log. */
export function unitsIssue(tag: TagConfigEntry, server: ServerUnits): { status: number; issue: MessageRef; detail: string } {
  const serverUnits = unitsText(server);
  const configured = unitsText(tag);
  return {
    status: BadConfigurationError,
    issue: { key: 'acquisition.issue.unitsChanged', params: { serverUnits, configured } },
    detail: `the server's engineering units are now ${serverUnits}, the tag is configured for ${configured}`,
  };
}

/** One connection's values held for a read of their units, and the tags to be read. */
export class HeldForUnits {
  readonly held = new Map<string, AcquiredSample[]>();
  readonly toRead = new Set<string>();
  reading = false;
  /** Reads that failed in a row (server-link.ts retries, then gives the connection up). */
  failures = 0;
  /**
   * Tags held from their subscription on this connection until their units are read (confirm): a
   * server restarted, or a standby, may give other units than the last session did, with no
   * SemanticsChanged to say so on a new session.
   */
  readonly confirming = new Set<string>();
  /** Units read while the connection still subscribes: judged when it goes live (another connection may still serve). */
  readonly early = new Map<string, ServerUnits | null>();

  /** The tags' values held from now until their units are read; none is handed on before. */
  confirm(names: Iterable<string>): void {
    for (const n of names) {
      if (!this.held.has(n)) this.held.set(n, []);
      this.toRead.add(n);
      this.confirming.add(n);
    }
  }
}

/** What a read of units changed: values released, tags whose units began or stopped contradicting their config. */
export interface Settled {
  released: AcquiredSample[];
  differ: string[];
  match: string[];
}

/** Per server link: the tags whose server units contradict their config (kept across connections). */
export class UnitWatch {
  private readonly differing = new Map<string, ServerUnits>();

  /** The server's units of a tag whose values are marked, or undefined. */
  differs(tag: string): ServerUnits | undefined {
    return this.differing.get(tag);
  }

  get differingTags(): string[] {
    return [...this.differing.keys()];
  }

  /**
   * The samples to hand on now, marked where the tag's units differ. A watched tag's value with
   * SemanticsChanged is held with every later one of its tag until the read (toRead) settles it.
   */
  vet(hold: HeldForUnits, samples: readonly AcquiredSample[], tagOf: (name: string) => TagConfigEntry | undefined): AcquiredSample[] {
    const ready: AcquiredSample[] = [];
    for (const s of samples) {
      const held = hold.held.get(s.tag);
      if (held) {
        held.push(s);
        // Changed again while read: read again after (the read under way may predate this change).
        if ((s.status & SemanticsChanged) !== 0) hold.toRead.add(s.tag);
        continue;
      }
      const tag = (s.status & SemanticsChanged) !== 0 ? tagOf(s.tag) : undefined;
      if (tag && unitsWatched(tag)) {
        hold.held.set(s.tag, [s]);
        hold.toRead.add(s.tag);
        continue;
      }
      ready.push(this.mark(s));
    }
    return ready;
  }

  /**
   * The units read (null: not read, or the server says neither): a tag's state changes only on
   * what the server said; its held values are released, judged by that.
   */
  settle(hold: HeldForUnits, read: ReadonlyMap<string, ServerUnits | null>, tagOf: (name: string) => TagConfigEntry | undefined): Settled {
    const out: Settled = { released: [], differ: [], match: [] };
    for (const [name, units] of read) {
      const tag = tagOf(name);
      if (tag && units && (units.unit !== null || units.range !== null)) {
        const was = this.differing.has(name);
        if (unitsDiffer(tag, units)) {
          this.differing.set(name, units);
          if (!was) out.differ.push(name);
        } else if (was) {
          this.differing.delete(name);
          out.match.push(name);
        }
      }
      hold.confirming.delete(name);
      out.released.push(...this.release(hold, name));
    }
    return out;
  }

  /**
   * The connection ended with values still held: their units were never confirmed, so none is
   * handed on (a value of unknown units is not archived Good); the loss marker covers them and
   * backfill reads them again after the next connection's check. Returns how many were dropped.
   * `only`: one subscription of a connection that goes on was lost; those tags stay held for the
   * read already asked for.
   */
  discard(hold: HeldForUnits, only?: ReadonlySet<string>): number {
    let n = 0;
    if (only) {
      for (const name of only) {
        const values = hold.held.get(name);
        if (!values) continue;
        n += values.length;
        hold.held.set(name, []);
      }
      return n;
    }
    for (const values of hold.held.values()) n += values.length;
    hold.held.clear();
    hold.toRead.clear();
    hold.confirming.clear();
    hold.early.clear();
    return n;
  }

  /** A tag's held values, judged by what is known now (its units just read). */
  private release(hold: HeldForUnits, name: string): AcquiredSample[] {
    const out = (hold.held.get(name) ?? []).map((s) => this.mark(s));
    hold.held.delete(name);
    return out;
  }

  /**
   * The config changed: each marked tag judged again against what its server said. Returns those
   * whose config now matches (cleared) and those still differing (their issue to be said anew).
   * Tags no longer configured, or configured anew (another node), are forgotten.
   */
  reconsider(tags: readonly TagConfigEntry[], forget: readonly string[]): { match: string[]; differ: string[] } {
    for (const n of forget) this.differing.delete(n);
    const byName = new Map(tags.map((t) => [t.name, t]));
    const out = { match: [] as string[], differ: [] as string[] };
    for (const [name, units] of this.differing) {
      const tag = byName.get(name);
      if (tag && unitsWatched(tag) && unitsDiffer(tag, units)) {
        out.differ.push(name);
        continue;
      }
      this.differing.delete(name);
      if (tag) out.match.push(name);
    }
    return out;
  }

  /** A value of a tag whose units differ: BadConfigurationError and no value; a Bad status of the server's own stands. */
  mark(s: AcquiredSample): AcquiredSample {
    if (!this.differing.has(s.tag) || isBad(s.status)) return s;
    // SemanticsChanged/StructureChanged kept: the archive shows where the meaning changed (marksEvent).
    return { ...s, value: null, status: (BadConfigurationError | (s.status & (SemanticsChanged | StructureChanged))) >>> 0 };
  }
}
