import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { stationConfigSchema } from '../app/shared/config.js';
import { PlantModel } from './model/plant.js';
import { STATION_YAML, stationYaml } from './station-yaml.js';

const committed = readFileSync(STATION_YAML, 'utf8');

describe('resources/station.yaml', () => {
  it('is what simulator/station-yaml.ts generates from the catalog (regenerate after catalog changes)', () => {
    expect(committed).toBe(stationYaml());
  });

  it('is a valid station config', () => {
    const result = stationConfigSchema.safeParse(parse(committed));
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it('names exactly the tags the simulator serves, with the same node ids, kinds, units and ranges', () => {
    const config = stationConfigSchema.parse(parse(committed));
    const served = new PlantModel({ extraTags: 0 }).tags;
    expect(config.tags.map((t) => t.name)).toEqual(served.map((t) => t.name));
    for (const [i, t] of config.tags.entries()) {
      const s = served[i];
      expect({ nodeId: t.nodeId, kind: t.kind, unit: t.unit, range: t.range, area: t.area, role: t.role,
        equipment: t.equipment }, t.name).toEqual({ nodeId: s.nodeId, kind: s.kind, unit: s.unit?.symbol ?? '',
        range: s.range, area: s.area, role: s.role, equipment: s.equipment });
    }
    expect(config.servers[0].endpoint).toBe('opc.tcp://127.0.0.1:4840/vigil');
    expect(config.areas.map((a) => a.id)).toEqual(['Area1', 'Area2']);
  });
});
