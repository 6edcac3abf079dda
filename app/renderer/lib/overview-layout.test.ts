import { describe, expect, it } from 'vitest';
import type { TagInfo } from '../../shared/api.js';
import { overviewLayout, shortLabel } from './overview-layout.js';

const tag = (name: string, role: TagInfo['role'], area = 'Area1', equipment: string | null = null): TagInfo => ({
  name, role, area, equipment, description: '', unit: '', range: null, kind: 'analog', server: 'sim', nodeId: `ns=1;s=${name}`, decimals: null, dataType: null,
});

describe('overviewLayout', () => {
  it('groups tank roles by equipment and keeps config order', () => {
    const tags = [
      tag('Area1.TK102.Level', 'level', 'Area1', 'TK102'),
      tag('Area1.TK101.Level', 'level', 'Area1', 'TK101'),
      tag('Area1.TK101.Pump', 'pump', 'Area1', 'TK101'),
      tag('Area1.TK101.Level2', 'level', 'Area1', 'TK101'),
      tag('Area1.GD1.LEL', 'lel', 'Area1', 'GD1'),
      tag('Area1.ESD', 'esd'),
      tag('Area2.NH3', 'toxic', 'Area2'),
      tag('Area1.Spare', 'other'),
    ];
    const areas = overviewLayout({ areas: [{ id: 'Area1', name: 'Flammables' }, { id: 'Area2', name: 'Toxics' }] }, tags);
    expect(areas.map((a) => a.name)).toEqual(['Flammables', 'Toxics']);
    const [a1, a2] = areas;
    expect(a1.tanks.map((t) => t.equipment)).toEqual(['TK102', 'TK101']);
    expect(a1.tanks[1].roles.pump?.name).toBe('Area1.TK101.Pump');
    expect(a1.tanks[1].roles.level?.name).toBe('Area1.TK101.Level');
    expect(a1.tanks[1].extra.map((t) => t.name)).toEqual(['Area1.TK101.Level2']);
    expect(a1.detectors.map(shortLabel)).toEqual(['GD1']);
    expect(a1.esd.map((t) => t.name)).toEqual(['Area1.ESD']);
    expect(a1.other.map((t) => t.name)).toEqual(['Area1.Spare']);
    expect(a2.detectors.map(shortLabel)).toEqual(['NH3']);
  });

  it('shows tags of an area the station info does not list rather than hiding them', () => {
    const areas = overviewLayout({ areas: [] }, [tag('X.Level', 'level', 'X')]);
    expect(areas).toHaveLength(1);
    expect(areas[0]).toMatchObject({ id: 'X', name: 'X' });
    expect(areas[0].tanks[0].equipment).toBe('X.Level');
  });
});
