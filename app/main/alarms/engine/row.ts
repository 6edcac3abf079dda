/**
 * What a console sees of an alarm (a row of the list) and of the whole list
 * (banner counts, flood, horn). Computed from the runtime on demand.
 */
import type { AlarmRow, AlarmSummary } from '../../../shared/api.js';
import type { AlarmRuntime } from './alarm.js';
import type { FloodWindow } from './flood.js';
import { rowText } from './server-condition.js';

/** Unacked, active, visible, and annunciated after the last silence: it calls for the horn. */
export function isAudible(rt: AlarmRuntime, silencedAt: number): boolean {
  return rt.active && !rt.acked && rt.visible && rt.annunciation > silencedAt;
}

export function rowOf(rt: AlarmRuntime, silencedAt: number): AlarmRow {
  const d = rt.def;
  return {
    id: d.id,
    source: d.kind === 'server' ? 'server' : 'station',
    kind: d.kind,
    tag: d.tag,
    server: d.server,
    area: d.area,
    equipment: d.equipment,
    condition: rt.condition,
    state: rt.state,
    flags: {
      active: rt.active,
      acked: rt.acked,
      confirmed: rt.confirmed,
      latched: rt.latched,
      shelving: rt.shelve === null ? 'Unshelved' : rt.shelve.oneShot ? 'OneShotShelved' : 'TimedShelved',
      suppressed: rt.suppressed,
      outOfService: rt.outOfService !== null,
    },
    priority: rt.spec.priority,
    message: rt.spec.message,
    text: rowText(rt),
    limit: rt.spec.limit,
    valueAtActivation: rt.valueAtActivation,
    value: rt.value,
    unit: d.unit,
    activatedAt: rt.activatedAt,
    annunciatedAt: rt.annunciatedAt,
    ackedAt: rt.ackedAt,
    ackUser: rt.ackUser,
    ackComment: rt.ackComment,
    returnedAt: rt.returnedAt,
    // The API's fields only: where a shelve was made at a server (atServer, serverSaid) is the engine's bookkeeping.
    shelve: rt.shelve && { until: rt.shelve.until, oneShot: rt.shelve.oneShot, reason: rt.shelve.reason, by: rt.shelve.by, at: rt.shelve.at },
    // Shown once a try failed: until then the Unshelve is on its way.
    serverShelved: rt.owedUnshelve?.refusal
      ? { server: rt.owedUnshelve.server, since: rt.owedUnshelve.since, reason: rt.owedUnshelve.refusal.reason, status: rt.owedUnshelve.refusal.status }
      : null,
    outOfService: rt.outOfService && { ...rt.outOfService },
    latched: rt.latched,
    suspect: rt.rowSuspect,
    suppressed: rt.suppressed,
    shelvable: d.shelvable,
    audible: isAudible(rt, silencedAt),
    revision: rt.revision,
  };
}

export function summarize(all: Iterable<AlarmRuntime>, silencedAt: number, flood: FloodWindow, mono: number): AlarmSummary {
  const s: AlarmSummary = {
    unacked: [0, 0, 0, 0],
    active: [0, 0, 0, 0],
    shelved: 0,
    suppressed: 0,
    outOfService: 0,
    latched: 0,
    suspect: 0,
    flood: { active: flood.active, count: flood.count(mono), since: flood.since },
    horn: { tone: null, silenced: false },
  };
  for (const rt of all) {
    const state = rt.state;
    if (state === 'A') continue;
    if (rt.rowSuspect) s.suspect++;
    if (state === 'H') s.outOfService++;
    else if (state === 'F') s.shelved++;
    else if (state === 'G') s.suppressed++;
    else {
      const p = rt.spec.priority - 1;
      if (!rt.acked) s.unacked[p]!++;
      if (rt.active) s.active[p]!++;
      if (rt.latched) s.latched++;
      if (rt.active && !rt.acked) {
        if (rt.annunciation > silencedAt) s.horn.tone = s.horn.tone === null ? p + 1 : Math.min(s.horn.tone, p + 1);
        else s.horn.silenced = true;
      }
    }
  }
  return s;
}
