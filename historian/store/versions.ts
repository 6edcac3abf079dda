/**
 * Tag configuration versions: every change of a TagConfig opens a new version
 * valid from a time on and closes the previous one there.
 */
import { analogSettings } from '../compression/settings.js';
import type { TagConfig, TagKind, TagVersion } from '../types.js';

/** JSON with keys sorted at every level: two equal configs give the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) {
      const field = (v as Record<string, unknown>)[k];
      if (field !== undefined) sorted[k] = field;
    }
    return sorted;
  });
}

export const sameConfig = (a: TagConfig, b: TagConfig): boolean => canonicalJson(a) === canonicalJson(b);

/** Fields a stored configuration leaves out when they have these values (configFromStored puts them back). */
const DEFAULTS: Omit<TagConfig, 'name' | 'kind' | 'range'> = { description: '', unit: '', compression: { kind: 'none' }, stepped: false, cycleMs: 0 };

/**
 * A configuration as the catalog's config table keeps it: canonical JSON without the name and
 * kind (the tag row has them), the range (tag_version's columns: most tags have one of their
 * own, so a config with it would be a row per tag, ~96 bytes each on the real-shaped data) and
 * fields at their defaults: `{"description":"…","unit":"bar"}`, shared by many tags.
 */
export function storedConfigJson(config: TagConfig): string {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (k === 'name' || k === 'kind' || k === 'range') continue;
    if (k in DEFAULTS && canonicalJson(v) === canonicalJson(DEFAULTS[k as keyof typeof DEFAULTS])) continue;
    out[k] = v;
  }
  return canonicalJson(out);
}

/**
 * The configuration a stored JSON and range stand for (also the full JSON older catalogs stored,
 * range included, with null columns).
 */
export function configFromStored(json: string, name: string, kind: TagKind, low: number | null = null, high: number | null = null): TagConfig {
  const config: TagConfig = { ...structuredClone(DEFAULTS), ...(JSON.parse(json) as Partial<TagConfig>), name, kind };
  if (low !== null && high !== null) config.range = { low, high };
  return config;
}

/**
 * The version valid at t. Before the first version's validFrom the first one
 * applies (data imported from before the tag was defined keeps its settings).
 */
export function versionAt(versions: readonly TagVersion[], t: number): TagVersion | undefined {
  let lo = 0, hi = versions.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (versions[mid]!.validFrom <= t) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return versions[found < 0 ? 0 : found];
}

const KINDS = new Set(['analog', 'discrete', 'text']);

/** Rejects a config the store cannot work with, naming the field. */
export function checkConfig(config: TagConfig): void {
  const where = `tag config '${String(config?.name)}'`;
  if (typeof config?.name !== 'string' || config.name.length === 0) throw new Error(`${where}: name: expected a non-empty string`);
  if (/[*?]/.test(config.name)) throw new Error(`${where}: name: '*' and '?' are reserved for wildcards`);
  if (!KINDS.has(config.kind)) throw new Error(`${where}: kind: expected analog, discrete or text, got ${String(config.kind)}`);
  if (typeof config.stepped !== 'boolean') throw new Error(`${where}: stepped: expected a boolean`);
  if (!Number.isFinite(config.cycleMs) || config.cycleMs < 0) throw new Error(`${where}: cycleMs: expected a number >= 0`);
  if (!config.compression || typeof config.compression.kind !== 'string') throw new Error(`${where}: compression: expected an object with a kind`);
  // Checked now, not at the first sample: a tag must never be stored with settings it cannot archive by.
  if (config.kind === 'analog') analogSettings(config);
}
