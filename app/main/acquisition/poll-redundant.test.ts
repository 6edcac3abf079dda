/**
 * A redundant pair whose servers give no subscription (poll.ts): the tags are polled, the ServiceLevel
 * watch (level-watch.ts, a subscription of its own) is not made, and a drop of the level is seen at
 * the probe period's read, which switches to the backup as on any server that refused the watch.
 * Nothing of this fails a connection.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startRedundantPair, type RedundantPair } from './testing/redundant-pair.js';
import { until } from './testing/harness.js';

let pair: RedundantPair | undefined;

afterEach(async () => {
  await pair?.stop();
  pair = undefined;
});

describe('a redundant server that gives no subscription', () => {
  it('is polled on either endpoint, and a drop of the primary\'s level switches to the backup at the probe\'s read', async () => {
    pair = await startRedundantPair({
      name: 'poll-redundant', tickMs: 200, publishingIntervalMs: 200, probeIntervalMs: 500, failbackAfterMs: 600_000, staleAfterMs: 2000,
      value: (side, n) => (side === 'primary' ? 1000 + n : n),
      before: (servers) => {
        for (const s of Object.values(servers)) s.server.engine.serverCapabilities.maxSubscriptionsPerSession = 0;
      },
    });
    const { servers, last, station: t } = pair;
    await until('polled on the primary', () => last()?.state === 'connected' && last().endpoint === servers.primary.endpoint && last().polled, 60_000);
    await until('values from the primary', () => t.samples.some((s) => s.tag === 'Level' && s.status === 0 && (s.value as number) > 1000), 30_000);
    expect(t.logs.filter((l) => String(l.msg).startsWith('ServiceLevel not monitored while the tags are polled'))).toHaveLength(1);

    // A switch needs a standby known usable: until its probe has answered, a Failed level is a loss (on a loaded machine that took longer than the primary's first values).
    await until('the backup probed usable', () => last().endpoints?.[1]?.reachable === true, 30_000);
    servers.primary.setServiceLevel(1);
    await until('polled on the backup', () => last().state === 'connected' && last().endpoint === servers.backup.endpoint && last().polled, 30_000);
    await until('values from the backup', () => t.samples.some((s) => s.tag === 'Level' && s.status === 0 && (s.value as number) < 1000), 30_000);
    expect(last().polled).toEqual({ reason: 'BadTooManySubscriptions' });
    expect(t.logs.filter((l) => l.msg === 'connection failed' || l.msg === 'server lost')).toEqual([]);
  }, 120_000);
});
