/**
 * Watches a standby endpoint of a redundant server: keeps a session open to
 * it (as secured as the active one) and reads its ServiceLevel every
 * probeIntervalMs, so a failover goes to an endpoint known to answer and a
 * failback happens once the primary is healthy again.
 */
import { AttributeIds, VariableIds, type ClientSession } from 'node-opcua-client';
import type { EndpointHealth, FailoverPolicy } from './failover.js';
import { healthy } from './failover.js';
import { openSession, type OpenSession, type SessionTarget } from './session.js';

const SERVICE_LEVEL = `ns=0;i=${VariableIds.Server_ServiceLevel}`;

/** The ServiceLevel a session reads; null when the server does not publish one. */
export async function readServiceLevel(session: ClientSession): Promise<number | null> {
  const dv = await session.read({ nodeId: SERVICE_LEVEL, attributeId: AttributeIds.Value });
  return dv.statusCode.isGood() && typeof dv.value.value === 'number' ? dv.value.value : null;
}

/** Updates health in place: healthySince starts when the endpoint becomes healthy, and clears when it stops being. */
export function observe(health: EndpointHealth, reachable: boolean, serviceLevel: number | null, policy: FailoverPolicy, now: number): boolean {
  const before = JSON.stringify(health);
  health.reachable = reachable;
  health.serviceLevel = reachable ? serviceLevel : null;
  if (!healthy(health, policy)) health.healthySince = null;
  else health.healthySince ??= now;
  return JSON.stringify(health) !== before;
}

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
  ) {}

  start(): void {
    this.schedule(0);
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
      this.open ??= await openSession(this.target, () => this.drop());
      const level = await readServiceLevel(this.open.session);
      this.failures = 0;
      this.note(true, level);
      this.schedule(this.intervalMs);
    } catch (err) {
      this.target.logger.debug({ server: this.target.server.id, endpoint: this.target.endpoint, err: (err as Error).message }, 'standby probe failed');
      this.drop();
      this.failures++;
      // An unreachable standby is retried less often, up to every 8 intervals.
      this.schedule(this.intervalMs * Math.min(8, 2 ** this.failures));
    }
  }

  private drop(): void {
    const open = this.open;
    this.open = null;
    void open?.close();
    this.note(false, null);
  }

  private note(reachable: boolean, level: number | null): void {
    if (this.stopped) return;
    if (observe(this.health, reachable, level, this.policy, Date.now())) this.onChange();
  }
}
