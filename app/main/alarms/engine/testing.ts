/**
 * The spec's acceptance fixture (specs/alarms.md) as a station config, run
 * through the real schema and compiler, with a clock the test moves by hand
 * and a 100 ms timer like the station's.
 */
import { stationConfigSchema, type StationConfig } from '../../../shared/config.js';
import type { AlarmRow } from '../../../shared/api.js';
import { compileAlarms } from '../definitions.js';
import { AlarmEngine } from './engine.js';
import { AlarmRefusal } from './refusal.js';
import type { JournalDraft, Value } from './types.js';

export const T0 = Date.UTC(2025, 0, 6, 10, 0, 0);
export const Good = 0;
export const BadNoCommunication = 0x80310000;

const analog = (name: string, unit: string, range: [number, number], alarms: object) => ({
  name, server: 'sim', nodeId: `ns=1;s=${name}`, unit, range, kind: 'analog', area: 'A1', alarms,
});

/** Extra tags XI-1.. for the page and flood cases: H 50, priority 3 (XI-1 and XI-2: 1 and 2), no delays. */
export const extraTags = Array.from({ length: 12 }, (_, i) => `XI-${i + 1}`);

/** The fixture as it would be written in YAML (before the schema's defaults). */
export function fixtureRaw() {
  return {
    station: { name: 'Fixture' },
    servers: [{ id: 'sim', endpoint: 'opc.tcp://127.0.0.1:4840/vigil' }],
    areas: [{ id: 'A1', name: 'Ammonia' }],
    tags: [
      analog('LI-101', '%', [0, 100], {
        deadband: 2, onDelayS: 5, offDelayS: 10,
        limits: {
          HH: { value: 90, priority: 1, message: 'Ammonia tank level high-high', cause: 'Inlet left open', consequence: 'Overfill', action: 'Close XV-101' },
          H: { value: 80, priority: 2, message: 'Ammonia tank level high' },
          L: { value: 15, priority: 3, message: 'Ammonia tank level low' },
          LL: { value: 5, priority: 1, message: 'Ammonia tank level low-low' },
        },
      }),
      analog('AT-301', 'ppm', [0, 100], { latching: true, shelvable: false, limits: { HH: { value: 25, priority: 1, message: 'Ammonia gas high-high' } } }),
      analog('AT-302', 'ppm', [0, 100], { latching: true, shelvable: false, limits: { HH: { value: 25, priority: 1, message: 'Ammonia gas high-high' } } }),
      analog('FI-102', 'm3/h', [0, 50], {
        suppressWhen: { tag: 'P-101', equals: false },
        limits: { L: { value: 10, priority: 3, message: 'Transfer flow low' } },
      }),
      { name: 'P-101', server: 'sim', nodeId: 'ns=1;s=P-101', kind: 'discrete', area: 'A1' },
      ...extraTags.map((name, i) => analog(name, '%', [0, 100], { limits: { H: { value: 50, priority: i < 2 ? i + 1 : 3, message: `${name} high` } } })),
    ],
  };
}

export function fixtureConfig(): StationConfig {
  return stationConfigSchema.parse(fixtureRaw());
}

export class Harness {
  t = T0;
  /** How far the wall clock was stepped (stepWallClock): the monotonic clock is the wall clock without the steps. */
  private stepped = 0;
  readonly clock = { now: () => this.t, monotonic: () => this.t - this.stepped };
  readonly engine: AlarmEngine;
  readonly journal: JournalDraft[] = [];

  constructor(readonly config: StationConfig = fixtureConfig()) {
    this.engine = new AlarmEngine(this.clock, compileAlarms(config), { windowMs: 600_000, startAbove: 10, endBelow: 5 });
  }

  /** A sample now (report by exception: it holds until the next one). */
  set(tag: string, value: Value, status = Good): this {
    this.engine.ingest([{ tag, t: this.t, value, status }]);
    this.collect();
    return this;
  }

  /** Moves the clock, firing the engine's timer every 100 ms as the station does (one step when no timer runs). */
  advance(ms: number): this {
    const end = this.t + ms;
    while (this.t < end) {
      this.t = this.engine.hasTimers ? Math.min(end, this.t + 100) : end;
      this.engine.tick();
    }
    this.collect();
    return this;
  }

  /** The wall clock steps (NTP) by ms; the monotonic clock does not. */
  stepWallClock(ms: number): this {
    this.t += ms;
    this.stepped += ms;
    return this;
  }

  private collect(): void {
    this.journal.push(...this.engine.takeJournal());
  }

  row(id: string): AlarmRow | undefined {
    return this.engine.rows().find((r) => r.id === id);
  }

  /** The row's state letter, or "A" when the alarm is not listed. */
  state(id: string): string {
    return this.row(id)?.state ?? 'A';
  }

  get summary() {
    return this.engine.summary();
  }

  ack(id: string, user = 'op1', comment: string | null = null): string[] {
    const r = this.row(id);
    if (!r) throw new Error(`${id} is not listed`);
    const out = this.engine.acknowledge([id], [r.revision], user, comment);
    this.collect();
    return out;
  }

  events(id: string): string[] {
    return this.journal.filter((j) => j.alarmId === id).map((j) => j.event);
  }
}

export const LI = 'LI-101/limit';
export const AT301 = 'AT-301/limit';
export const AT302 = 'AT-302/limit';
export const FI = 'FI-102/limit';

/** The reason and parameters of the AlarmRefusal fn throws; fails the test when it throws none. */
export function refusalOf(fn: () => unknown): [string, unknown] {
  try {
    fn();
  } catch (e) {
    if (e instanceof AlarmRefusal) return [e.reason, e.params];
    throw e;
  }
  throw new Error('expected a refusal');
}
