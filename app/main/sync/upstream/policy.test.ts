/** InfluxDB 1.x's retention policy from its answer to SHOW RETENTION POLICIES (answers captured from InfluxDB 1.6.7). */
import { describe, expect, it } from 'vitest';
import { upstreamConfig } from '../testing/harness.js';
import { policiesUrl, policyDuration } from './holdings.js';

const ANSWER = '{"results":[{"statement_id":0,"series":[{"columns":["name","duration","shardGroupDuration","replicaN","default"],"values":[["autogen","0s","1h0m0s",1,true],["short","1h30m0s","1h0m0s",1,false]]}]}]}';

describe('InfluxDB 1.x retention policy', () => {
  it('the default policy when none is named, a named one, "0s" kept for ever', () => {
    expect(policyDuration(ANSWER, undefined)).toBe(Infinity);
    expect(policyDuration(ANSWER, 'short')).toBe(90 * 60_000);
    expect(policyDuration(ANSWER.replace('"0s"', '"168h0m0s"'), undefined)).toBe(7 * 86_400_000);
  });

  it('an answer that does not say it: unknown', () => {
    expect(policyDuration(ANSWER, 'other')).toBeNull();
    expect(policyDuration('{"error":"error authorizing query: w not authorized to execute statement \'SHOW RETENTION POLICIES ON t\', requires READ on t"}', undefined)).toBeNull();
    expect(policyDuration('<html>Please sign in</html>', undefined)).toBeNull();
  });

  it('asked of InfluxDB 1.x only, for the database written to', () => {
    expect(policiesUrl(upstreamConfig({ url: 'http://h:8086/', flavour: 'influxdb1', database: 'tank "farm"' }))?.toString())
      .toBe('http://h:8086/query?db=tank+%22farm%22&q=SHOW+RETENTION+POLICIES+ON+%22tank+%5C%22farm%5C%22%22');
    expect(policiesUrl(upstreamConfig({ url: 'http://h:8428', flavour: 'victoriametrics', database: undefined }))).toBeNull();
  });
});
