/**
 * Which endpoint of a redundant server to use (OPC UA non-transparent
 * redundancy, Part 4 §6.6.2): the endpoints are in order of preference
 * (primary first); each has a ServiceLevel (Part 4 §6.6.2.4.2: 0
 * maintenance, 1 no data, 2..199 degraded, 200..255 healthy; unknown when
 * the server gives none usable). Pure
 * decisions over what the probes last saw; the link acts on them.
 */
import type { MessageRef } from '../../shared/api.js';

export interface EndpointHealth {
  url: string;
  /** null: not probed yet. */
  reachable: boolean | null;
  /**
   * null: not known. Not reachable, or reachable (`reachable` true) without a usable level (the node
   * absent, a Bad status, another type): an unknown level, ranked below a healthy one and above a
   * Degraded or Failed one (unknownLevel), never counted as healthy.
   */
  serviceLevel: number | null;
  /** Since when it has been reachable and healthy (ms); null when it is not. */
  healthySince: number | null;
  /** Why it could not be reached or used the last time it was tried, in English; cleared once it answers. */
  error?: string | null;
  /** The same in the console's words, when the station has them (a certificate not trusted, ...). */
  errorText?: MessageRef | null;
  /**
   * Probes in a row whose user identity it refused, and not before when to try it again (probe.ts,
   * identity-retry.ts): kept here so that a probe started again at a reconnection or a switch does
   * not try the refused login at once.
   */
  identityRefused?: { count: number; nextAt: number } | null;
  /** The ServerUri (application URI) of the server at this endpoint, once a session to it told it (partners.ts). */
  applicationUri?: string | null;
  /** A standby in maintenance (ServiceLevel 0): not probed again before this (probe.ts maintenanceWaitMs), whichever probe reads it. */
  maintenanceNextAt?: number | null;
  /**
   * In maintenance, the server's EstimatedReturnTime (i=12885, Part 5) when it gives one in the
   * future (ms, as the server states it): neither probed nor reconnected to before it (probe.ts
   * maintenanceWaitMs), and shown in the server's state; null otherwise.
   */
  estimatedReturn?: number | null;
}

export interface FailoverPolicy {
  minServiceLevel: number;
  probeIntervalMs: number;
  failback: boolean;
  failbackAfterMs: number;
}

export type SwitchReason = 'serviceLevel' | 'failback';

/**
 * An endpoint in maintenance is probed or reconnected to every probeFactor probe periods, at least
 * every probeMinMs, or not before its EstimatedReturnTime, but never more than returnMaxMs later
 * because of it: a wrong time keeps the station away ten minutes, not hours (probe.ts maintenanceWaitMs).
 */
export const MAINTENANCE = { probeFactor: 10, probeMinMs: 30_000, returnMaxMs: 600_000 };

/** Reachable with a ServiceLevel of at least minServiceLevel; an unknown level is not healthy (unknownLevel). */
export const healthy = (h: EndpointHealth, p: FailoverPolicy): boolean =>
  h.reachable === true && h.serviceLevel !== null && h.serviceLevel >= p.minServiceLevel;

/**
 * Reachable, but its ServiceLevel unknown (absent, Bad, another type: probe.ts levelOf). Not healthy:
 * it says nothing of the data it has. Taken before a Degraded one (2..199), which says itself that
 * part of its data is missing, and before a Failed one; a server that leaves the level unset most
 * often implements no redundancy state and serves what it has.
 */
export const unknownLevel = (h: EndpointHealth): boolean => h.reachable === true && h.serviceLevel === null;

/**
 * ServiceLevel 0 (Maintenance) or 1 (NoData): a Failed server (Part 4 §6.6.2.4.2), with which "a
 * Client is not able to exchange any information"; connected Clients shall leave it. What it still
 * publishes is not the plant's: never taken, whatever status it carries.
 */
export const failedLevel = (level: number | null): boolean => level !== null && level <= 1;

/** Why a Failed endpoint is not used, as the gap ledger and the log store it (a stable English cause). */
export const failedLevelCause = (level: number): string =>
  level === 0 ? 'the server is in maintenance (ServiceLevel 0)' : 'the server has no data (ServiceLevel 1)';

/** A session to an endpoint whose ServiceLevel says Failed: refused as a connection that failed. */
export class FailedLevelError extends Error {
  /** The console's words for it (session.ts wordedOf). */
  readonly worded: MessageRef;
  constructor(readonly endpoint: string, readonly level: number) {
    super(`${failedLevelCause(level)} at ${endpoint}: not used`);
    this.worded = { key: 'acquisition.error.failedLevel', params: { endpoint, level: level === 0 ? 'maintenance' : 'noData' } };
  }
}

/**
 * The order to try endpoints in when (re)connecting: healthy ones by preference, then those whose
 * level is unknown, then the Degraded by ServiceLevel, then those not probed yet, then the Failed.
 */
export function connectOrder(health: readonly EndpointHealth[], p: FailoverPolicy): number[] {
  const idx = health.map((_, i) => i);
  const rank = (i: number): number => {
    const h = health[i]!;
    if (healthy(h, p)) return 0;
    if (unknownLevel(h)) return 1;
    if (h.reachable === true && !failedLevel(h.serviceLevel)) return 2;
    if (h.reachable === null) return 3;
    // A Failed one (0 or 1) is tried after the unknown: it is refused unless its level rose meanwhile.
    if (h.reachable === true) return 4;
    return 5;
  };
  return idx.sort((a, b) => rank(a) - rank(b) || (rank(a) === 2 ? (health[b]!.serviceLevel ?? 0) - (health[a]!.serviceLevel ?? 0) : 0) || a - b);
}

/**
 * While connected to `active`: the endpoint to switch to, and why, or null to stay.
 * - serviceLevel: the active one fell below the healthy level and another is better (never a Failed one);
 * - failback: a more preferred endpoint has been healthy for failbackAfterMs.
 * From a Degraded endpoint to another Degraded one only failbackAfterMs after the last switch
 * (`lastSwitchAt`): a pair whose levels wander within the Degraded range (a share of devices
 * reachable, a load) would otherwise be switched to and fro at every probe, each switch a new set of
 * subscriptions and a ledger entry.
 */
export function switchTarget(health: readonly EndpointHealth[], active: number, p: FailoverPolicy, now: number, lastSwitchAt: number | null = null): { index: number; reason: SwitchReason } | null {
  const current = health[active];
  if (!current) return null;
  if (!healthy(current, p)) {
    const preferred = health.findIndex((h, i) => i !== active && healthy(h, p));
    if (preferred >= 0) return { index: preferred, reason: 'serviceLevel' };
    // An unknown level is left for a healthy one only: nothing else is known better.
    if (unknownLevel(current)) return null;
    if (!failedLevel(current.serviceLevel) && lastSwitchAt !== null && now - lastSwitchAt < p.failbackAfterMs) return null;
    // From a Degraded or Failed one: an unknown level ranks above them (unknownLevel), the first by preference.
    const unknown = health.findIndex((h, i) => i !== active && unknownLevel(h));
    if (unknown >= 0) return { index: unknown, reason: 'serviceLevel' };
    let best = -1;
    health.forEach((h, i) => {
      if (i === active || h.reachable !== true || h.serviceLevel === null || failedLevel(h.serviceLevel)) return;
      if (h.serviceLevel > (current.serviceLevel ?? 0) && (best < 0 || h.serviceLevel > health[best]!.serviceLevel!)) best = i;
    });
    return best >= 0 ? { index: best, reason: 'serviceLevel' } : null;
  }
  if (!p.failback) return null;
  for (let i = 0; i < active; i++) {
    const h = health[i]!;
    if (healthy(h, p) && h.healthySince !== null && now - h.healthySince >= p.failbackAfterMs) return { index: i, reason: 'failback' };
  }
  return null;
}
