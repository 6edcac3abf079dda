/**
 * Watches a standby endpoint of a redundant server: keeps a session open to
 * it (as secured as the active one) and reads its ServiceLevel every
 * probeIntervalMs, so a failover goes to an endpoint known to answer and a
 * failback happens once the primary is healthy again.
 */
import { AttributeIds, VariableIds, type ClientSession, type DataValue } from 'node-opcua-client';
import type { EndpointHealth, FailoverPolicy } from './failover.js';
import { healthy, MAINTENANCE, unknownLevel } from './failover.js';
import { identityRetry } from './identity-retry.js';
import type { Logger } from '../log.js';
import { CertificateRefusedError, IdentityRefusedError, openSession, wordedOf, type OpenSession, type SessionTarget } from './session.js';
import { clockOff, measureServerClock } from './server-clock.js';
import { NotRunningError, notStandby, readRunState } from './server-run-state.js';

export const SERVICE_LEVEL = `ns=0;i=${VariableIds.Server_ServiceLevel}`;

/**
 * A ServiceLevel as read: a Byte (0..255) with a Good status; null, unknown, for anything else (the
 * node absent, a Bad or Uncertain status, another type or range): never taken for healthy.
 */
export function levelOf(dv: DataValue): number | null {
  const v: unknown = dv.value?.value;
  return dv.statusCode.isGood() && typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 255 ? v : null;
}

/** The ServiceLevel a session reads; null when it is unknown (levelOf). A failed request throws. */
export async function readServiceLevel(session: ClientSession): Promise<number | null> {
  return levelOf(await session.read({ nodeId: SERVICE_LEVEL, attributeId: AttributeIds.Value }));
}

export const ESTIMATED_RETURN = `ns=0;i=${VariableIds.Server_EstimatedReturnTime}`;

/**
 * The wait before the next look (a probe's read, the link's reconnection) at an endpoint at
 * ServiceLevel 0 (Maintenance): Part 4 §6.6.2.4.2 asks Clients not to reconnect to a server in
 * maintenance often (it is down on purpose, and each attempt loads it); slower than the probe
 * period, at least MAINTENANCE.probeMinMs; not before the EstimatedReturnTime the server gives
 * (`estimatedReturn`, ms), but at most MAINTENANCE.returnMaxMs for it. Level 1 (NoData) is a server
 * that may come back any moment: probed at the normal period.
 */
export function maintenanceWaitMs(intervalMs: number, now = 0, estimatedReturn: number | null = null): number {
  const wait = Math.max(MAINTENANCE.probeMinMs, MAINTENANCE.probeFactor * intervalMs);
  return estimatedReturn === null ? wait : Math.max(wait, Math.min(estimatedReturn - now, MAINTENANCE.returnMaxMs));
}

/** Who reads an EstimatedReturnTime, for the log line that says it was taken across the server's clock. */
export interface ReturnReader {
  logger: Logger;
  server: string;
  endpoint: string;
}

/**
 * The EstimatedReturnTime a session reads (ms, on the station's clock), when Good and in the future;
 * null otherwise (none given: the null DateTime, Part 5; the node absent; a time already past). It is
 * a time on the server's clock, and the station waits on its own: where a measure of the server's
 * clock on the same session (server-clock.ts) shows it off, the time is moved by the offset measured
 * (the middle of its bounds). A server clock 5 min ahead kept the station away 5 min after the
 * server was back (at most MAINTENANCE.returnMaxMs); one behind brought it back early, or had a time
 * still to come taken for past. A failed read of the time throws; a failed measure leaves it as given.
 */
export async function readEstimatedReturn(session: ClientSession, now: number, reader?: ReturnReader): Promise<number | null> {
  const dv = await session.read({ nodeId: ESTIMATED_RETURN, attributeId: AttributeIds.Value });
  const v: unknown = dv.value?.value;
  if (!dv.statusCode.isGood() || !(v instanceof Date) || !(v.getTime() > NULL_DATE_TIME)) return null;
  const clock = await measureServerClock(session).catch((err: Error) => {
    if (reader) reader.logger.debug({ server: reader.server, endpoint: reader.endpoint, err: err.message }, 'server clock not measured for its EstimatedReturnTime');
    return null;
  });
  const offsetMs = clock && clockOff(clock) ? Math.round((clock.lowMs + clock.highMs) / 2) : 0;
  const at = v.getTime() - offsetMs;
  if (offsetMs !== 0 && reader) {
    reader.logger.info({ server: reader.server, endpoint: reader.endpoint, given: v.toISOString(), offsetMs, stationTime: new Date(at).toISOString() },
      'EstimatedReturnTime given on a server clock that is off: taken on the station\'s clock');
  }
  return at > now ? at : null;
}

/** Before any time a server sets: OPC UA's null DateTime (1601-01-01, node-opcua's) and 0. */
const NULL_DATE_TIME = Date.UTC(1601, 0, 2);

/**
 * An endpoint seen at ServiceLevel 0 on `session`: its EstimatedReturnTime read (a failed read is
 * none known: the maintenance rate alone applies) and when to look at it next set. Returns the wait.
 */
export async function noteMaintenance(health: EndpointHealth, session: ClientSession, intervalMs: number, logger: Logger, server: string): Promise<number> {
  const now = Date.now();
  const estimatedReturn = await readEstimatedReturn(session, now, { logger, server, endpoint: health.url }).catch((err: Error) => {
    logger.debug({ server, endpoint: health.url, err: err.message }, 'EstimatedReturnTime read failed');
    return null;
  });
  const wait = maintenanceWaitMs(intervalMs, now, estimatedReturn);
  health.estimatedReturn = estimatedReturn;
  health.maintenanceNextAt = now + wait;
  return wait;
}

/**
 * Updates health in place: healthySince starts when the endpoint becomes healthy, and clears when it
 * stops being; `failure` is why it could not be reached or used (kept until it answers again).
 */
export function observe(health: EndpointHealth, reachable: boolean, serviceLevel: number | null, policy: FailoverPolicy, now: number, failure: Error | null = null): boolean {
  const before = JSON.stringify(health);
  health.reachable = reachable;
  health.serviceLevel = reachable ? serviceLevel : null;
  if (reachable || failure) {
    health.error = failure?.message ?? null;
    health.errorText = failure ? wordedOf(failure) : null;
  }
  // Out of maintenance: looked at at the normal rate again, and no return time shown.
  if (reachable && serviceLevel !== 0) {
    health.maintenanceNextAt = null;
    health.estimatedReturn = null;
  }
  if (!healthy(health, policy)) health.healthySince = null;
  else health.healthySince ??= now;
  return JSON.stringify(health) !== before;
}

export const isoOrNull = (ms: number | null | undefined): string | null => (ms ? new Date(ms).toISOString() : null);

export class EndpointProbe {
  private open: OpenSession | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private failures = 0;

  constructor(
    readonly health: EndpointHealth,
    private readonly target: SessionTarget,
    private readonly policy: FailoverPolicy,
    private readonly intervalMs: number,
    private readonly onChange: () => void,
    /** A certificate was refused (listed now for an engineer to decide). */
    private readonly onCertificateRefused: () => void = () => undefined,
    /** A session opened: the URLs the endpoint advertises when none has the configured host (session.ts otherHosts; else empty). */
    private readonly onAdvertised: (advertised: readonly string[]) => void = () => undefined,
  ) {}

  start(): void {
    // A login the standby refused is not tried again before its wait is over, whichever probe tries it;
    // nor a standby in maintenance read again before its slower period is (maintenanceWaitMs).
    this.schedule(Math.max(0, (this.health.identityRefused?.nextAt ?? 0) - Date.now(), (this.health.maintenanceNextAt ?? 0) - Date.now()));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const open = this.open;
    this.open = null;
    await open?.close();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    try {
      if (!this.open) {
        this.open = await openSession(this.target, () => this.drop());
        // Said before a failover needs it (a partner following the server's own URLs needs that name resolvable), as the active endpoint's is.
        this.onAdvertised(this.open.advertised);
      }
      const level = await readServiceLevel(this.open.session);
      // A standby whose State says it transfers no data (Suspended while it boots, Failed) or that it is
      // shutting down often still says ServiceLevel 255 (a level it does not compute): not usable, as one
      // that cannot be reached, so no switch or failback goes to it (server-run-state.ts). A State read
      // that fails says nothing.
      const run = await readRunState(this.open.session).catch((err: Error) => {
        this.target.logger.debug({ server: this.target.server.id, endpoint: this.target.endpoint, err: err.message }, 'standby ServerStatus/State unread');
        return null;
      });
      if (run && notStandby(run.state)) throw new NotRunningError(this.target.endpoint, run.state!);
      this.health.applicationUri = this.open.session.endpoint?.server?.applicationUri ?? null;
      this.failures = 0;
      this.health.identityRefused = null;
      if (this.health.error) this.target.logger.info({ server: this.target.server.id, endpoint: this.target.endpoint }, 'standby endpoint usable again');
      const wasMaintenance = this.health.reachable === true && this.health.serviceLevel === 0;
      const returnBefore = this.health.estimatedReturn ?? null;
      if (level === null && !unknownLevel(this.health)) {
        this.target.logger.warn({ server: this.target.server.id, endpoint: this.target.endpoint },
          'standby endpoint gives no usable ServiceLevel (absent, Bad or not a Byte): its level is unknown, ranked below a healthy endpoint, not counted healthy');
      }
      this.note(true, level);
      if (level !== 0) return this.schedule(this.intervalMs);
      const wait = await noteMaintenance(this.health, this.open.session, this.intervalMs, this.target.logger, this.target.server.id);
      if (this.stopped) return;
      // The return time shown in the server's state as soon as it is known.
      if ((this.health.estimatedReturn ?? null) !== returnBefore) this.onChange();
      if (!wasMaintenance) {
        this.target.logger.info({ server: this.target.server.id, endpoint: this.target.endpoint, probeEveryMs: wait, estimatedReturn: isoOrNull(this.health.estimatedReturn) },
          'standby endpoint in maintenance (ServiceLevel 0): probed less often until it leaves it');
      } else if ((this.health.estimatedReturn ?? null) !== returnBefore && this.health.estimatedReturn) {
        this.target.logger.info({ server: this.target.server.id, endpoint: this.target.endpoint, estimatedReturn: isoOrNull(this.health.estimatedReturn), nextProbeInMs: wait },
          'standby endpoint in maintenance gives a new EstimatedReturnTime: not probed before it');
      }
      this.schedule(wait);
    } catch (err) {
      // A standby that cannot be used is a failover that cannot happen (Part 4 §6.6.2): say so
      // before the primary fails, with the reason, not as a debug line. Once per reason: the health
      // keeps the last one across the probes the link starts again at each switch.
      const failure = err instanceof Error ? err : new Error(String(err));
      if (this.health.error !== failure.message && !this.stopped) {
        this.target.logger.warn({ server: this.target.server.id, endpoint: this.target.endpoint, err: failure.message }, 'standby endpoint not usable: no failover to it');
      }
      if (failure instanceof CertificateRefusedError) this.onCertificateRefused();
      this.drop(failure);
      if (failure instanceof IdentityRefusedError) {
        // Each probe would be one more failed login towards the account's lockout: as slowly as the link retries it.
        const count = (this.health.identityRefused?.count ?? 0) + 1;
        const wait = Math.min(identityRetry.maxMs, identityRetry.firstMs * 2 ** (count - 1));
        this.health.identityRefused = { count, nextAt: Date.now() + wait };
        return this.schedule(wait);
      }
      this.failures++;
      // An unreachable standby is retried less often, up to every 8 intervals.
      this.schedule(this.intervalMs * Math.min(8, 2 ** this.failures));
    }
  }

  private drop(failure: Error | null = null): void {
    const open = this.open;
    this.open = null;
    void open?.close();
    this.note(false, null, failure);
  }

  private note(reachable: boolean, level: number | null, failure: Error | null = null): void {
    if (this.stopped) return;
    if (observe(this.health, reachable, level, this.policy, Date.now(), failure)) this.onChange();
  }
}
