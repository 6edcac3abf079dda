/**
 * Groups the configured tags into what the overview draws: per area, tank
 * cards (by equipment), gas detectors, ESD states and the remaining tags.
 * Config order is kept so the screen reads like the plant list.
 */
import type { StationInfo, TagInfo } from '../../shared/api.js';
import type { TagRole } from '../../shared/config.js';

export const TANK_ROLES = ['level', 'temperature', 'pressure', 'inletValve', 'outletValve', 'pump', 'highLevelSwitch', 'product'] as const;
export type TankRole = (typeof TANK_ROLES)[number];

export interface TankLayout {
  equipment: string;
  /** One tag per role; a second tag of the same role goes to extra. */
  roles: Partial<Record<TankRole, TagInfo>>;
  extra: TagInfo[];
}

export interface AreaLayout {
  id: string;
  name: string;
  tanks: TankLayout[];
  detectors: TagInfo[];
  esd: TagInfo[];
  other: TagInfo[];
}

const tankRoles: ReadonlySet<TagRole> = new Set(TANK_ROLES);

export function overviewLayout(info: Pick<StationInfo, 'areas'>, tags: TagInfo[]): AreaLayout[] {
  const areas = new Map<string, AreaLayout>();
  const area = (id: string): AreaLayout => {
    let a = areas.get(id);
    if (!a) areas.set(id, (a = { id, name: id, tanks: [], detectors: [], esd: [], other: [] }));
    return a;
  };
  for (const a of info.areas) area(a.id).name = a.name;

  const tanks = new Map<string, TankLayout>();
  for (const tag of tags) {
    const a = area(tag.area);
    if (tag.role === 'lel' || tag.role === 'toxic') a.detectors.push(tag);
    else if (tag.role === 'esd') a.esd.push(tag);
    else if (tankRoles.has(tag.role)) {
      const equipment = tag.equipment ?? tag.name;
      const key = `${tag.area}\u0000${equipment}`;
      let tank = tanks.get(key);
      if (!tank) {
        tanks.set(key, (tank = { equipment, roles: {}, extra: [] }));
        a.tanks.push(tank);
      }
      const role = tag.role as TankRole;
      if (tank.roles[role]) tank.extra.push(tag);
      else tank.roles[role] = tag;
    } else a.other.push(tag);
  }
  return [...areas.values()];
}

/** Label for a detector or ESD tag: its equipment, else the last part of its name. */
export function shortLabel(tag: TagInfo): string {
  return tag.equipment ?? tag.name.split('.').at(-1) ?? tag.name;
}
