/**
 * Engineer edits of an alarm (limit, priority, delays, deadband, frozen window) written into
 * the station YAML through the ConfigStore: comments and layout kept, the
 * whole config validated before the file is replaced. Each edit names the
 * YAML path it changes and returns the old and new value for the audit.
 */
import type { Document } from 'yaml';
import type { AlarmCondition } from '../../shared/api.js';
import type { StationConfig } from '../../shared/config.js';
import type { AlarmDef } from './engine/types.js';
import { AlarmRefusal } from './engine/refusal.js';

export type YamlPath = (string | number)[];

/** Where a kind's own settings live under the tag's `alarms:` block (limits use the block itself). */
const kindKey: Partial<Record<AlarmDef['kind'], string>> = { deviation: 'deviation', rateOfChange: 'rateOfChange', state: 'state', quality: 'badQuality', frozen: 'frozen' };

function tagBlock(config: StationConfig, def: AlarmDef): YamlPath {
  const i = config.tags.findIndex((t) => t.name === def.tag);
  if (i < 0 || def.kind === 'server') {
    throw new AlarmRefusal('notConfigurable', `${def.id} is not defined in the station config`, { alarm: def.id });
  }
  return ['tags', i, 'alarms'];
}

function noSuch(def: AlarmDef, condition: AlarmCondition): AlarmRefusal {
  return new AlarmRefusal('noSuchCondition', `${def.id} has no ${condition} condition`, { alarm: def.id, condition });
}

function hasCondition(def: AlarmDef, condition: AlarmCondition): boolean {
  const e = def.evaluator;
  if (e.kind === 'limit') return [e.hh, e.h, e.l, e.ll].some((s) => s?.condition === condition);
  if (e.kind === 'deviation') return [e.high, e.low].some((s) => s?.condition === condition);
  return e.spec.condition === condition;
}

/** The path of a condition's spec (its value and priority live there). */
function conditionPath(config: StationConfig, def: AlarmDef, condition: AlarmCondition): YamlPath {
  if (!hasCondition(def, condition)) throw noSuch(def, condition);
  if (def.kind === 'communication') return ['alarms', 'communication'];
  if (def.kind === 'sync') return ['alarms', 'sync'];
  const block = tagBlock(config, def);
  if (def.kind === 'limit') return [...block, 'limits', condition];
  if (def.kind === 'deviation') return [...block, 'deviation', condition === 'DEVH' ? 'high' : 'low'];
  return [...block, kindKey[def.kind]!];
}

export function limitPath(config: StationConfig, def: AlarmDef, condition: AlarmCondition): YamlPath {
  const base = conditionPath(config, def, condition);
  if (def.kind === 'rateOfChange') return [...base, 'limit'];
  if (def.kind !== 'limit' && def.kind !== 'deviation') throw noSuch(def, condition);
  return [...base, 'value'];
}

export function priorityPath(config: StationConfig, def: AlarmDef, condition: AlarmCondition): YamlPath {
  return [...conditionPath(config, def, condition), 'priority'];
}

export function delayPath(config: StationConfig, def: AlarmDef, which: 'onDelayS' | 'offDelayS'): YamlPath {
  if (def.kind === 'communication' || def.kind === 'sync') throw new AlarmRefusal('notConfigurable', `${def.id} has no delays`, { alarm: def.id });
  const block = tagBlock(config, def);
  return def.kind === 'limit' ? [...block, which] : [...block, kindKey[def.kind]!, which];
}

/** Deadband applies to limits and deviation, and is one setting of the tag's block: units or percent. */
export function deadbandPaths(config: StationConfig, def: AlarmDef): { units: YamlPath; percent: YamlPath } {
  if (def.kind !== 'limit' && def.kind !== 'deviation') throw new AlarmRefusal('notConfigurable', `${def.id} has no deadband`, { alarm: def.id });
  const block = tagBlock(config, def);
  return { units: [...block, 'deadband'], percent: [...block, 'deadbandPercent'] };
}

/** A frozen-value alarm's window (s): tags[i].alarms.frozen.afterS; any other alarm has none. */
export function frozenAfterPath(config: StationConfig, def: AlarmDef): YamlPath {
  if (def.kind !== 'frozen') throw noSuch(def, 'FROZEN');
  return [...tagBlock(config, def), 'frozen', 'afterS'];
}

/** The value at a path of the parsed config (what the audit calls the old value). */
export function valueAt(config: StationConfig, path: YamlPath): unknown {
  let node: unknown = config;
  for (const key of path) node = node === null || node === undefined ? undefined : (node as Record<string | number, unknown>)[key];
  return node ?? null;
}

/** Sets the values in the YAML document, creating the maps on the way. */
export function setter(changes: readonly { path: YamlPath; value: unknown }[]): (doc: Document) => void {
  return (doc) => {
    for (const c of changes) {
      if (c.value === undefined) doc.deleteIn(c.path);
      else doc.setIn(c.path, c.value);
    }
  };
}
