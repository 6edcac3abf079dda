/**
 * The catalog keeps a tag configuration without its name, kind, range (columns of its own) and
 * default-valued fields (versions.ts storedConfigJson): reading it back gives the configuration that was stored, and
 * the full JSON older catalogs kept still reads.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TagConfig } from '../types.js';
import { rangeColumns } from './catalog.js';
import { configFromStored, storedConfigJson } from './versions.js';
import { propertyRuns } from '../testing/property-runs.js';

const compression = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc.record({ kind: fc.constant('deadband' as const), deviation: fc.double({ min: 0, max: 100, noNaN: true }).map((v) => v + 0), percentOfSpan: fc.boolean() },
    { requiredKeys: ['kind', 'deviation'] }),
  fc.record({ kind: fc.constant('swinging-door' as const), deviation: fc.double({ min: 0, max: 100, noNaN: true }).map((v) => v + 0), maxIntervalMs: fc.nat() },
    { requiredKeys: ['kind', 'deviation'] }),
);
/** A finite number as JSON keeps it (no -0: JSON has none, the catalog never kept one). */
const num = fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => (Object.is(v, -0) ? 0 : v));
const config: fc.Arbitrary<TagConfig> = fc.record({
  name: fc.string({ minLength: 1 }),
  kind: fc.constantFrom('analog' as const, 'discrete' as const, 'text' as const),
  description: fc.oneof(fc.constant(''), fc.string()),
  unit: fc.oneof(fc.constant(''), fc.string()),
  range: fc.record({ low: num, high: num }),
  compression,
  stepped: fc.boolean(),
  cycleMs: fc.oneof(fc.constant(0), fc.nat()),
}, { requiredKeys: ['name', 'kind', 'description', 'unit', 'compression', 'stepped', 'cycleMs'] });

describe('stored tag configuration', () => {
  it('reads back as the configuration stored (property)', () => {
    fc.assert(fc.property(config, (c) => {
      expect(configFromStored(storedConfigJson(c), c.name, c.kind, ...rangeColumns(c))).toEqual(c);
    }), { numRuns: propertyRuns(300) });
  });

  it('leaves out the name, the kind, the range (tag_version columns) and fields at their defaults', () => {
    const c: TagConfig = { name: 'P1.FLOW', kind: 'analog', description: '', unit: '', compression: { kind: 'none' }, stepped: false, cycleMs: 0, range: { low: 0, high: 10 } };
    expect(storedConfigJson(c)).toBe('{}');
    expect(rangeColumns(c)).toEqual([0, 10]);
    expect(storedConfigJson({ ...c, unit: 'm3/h', range: undefined })).toBe('{"unit":"m3/h"}');
    expect(rangeColumns({ ...c, range: undefined })).toEqual([null, null]);
  });

  it('reads the full JSON of older catalogs, range included', () => {
    const old = '{"compression":{"kind":"none"},"cycleMs":1000,"description":"d","kind":"analog","range":{"high":5,"low":1},"stepped":true,"unit":"bar"}';
    expect(configFromStored(old, 'A', 'analog')).toEqual({ name: 'A', kind: 'analog', description: 'd', unit: 'bar', compression: { kind: 'none' }, stepped: true, cycleMs: 1000, range: { low: 1, high: 5 } });
  });
});
