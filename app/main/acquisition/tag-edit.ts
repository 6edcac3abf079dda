/**
 * An engineer's edits of one configured tag from the console: its archive compression (its own, or
 * back to the station default) and its removal. Each is an edit of the station config file as
 * tags.add makes one (comments and untouched lines kept, the whole file validated by the config's
 * schema and checks before it is written), audited with the value before and after; the station
 * then follows the file: the archive takes a new compression as a new configuration version of the
 * tag from now, and every console gets the new tag list. A removed tag's archive stays as it is.
 */
import { isMap, isSeq, type Document, type YAMLMap } from 'yaml';
import type { z } from 'zod';
import type { AlarmRow, TagCompression } from '../../shared/api.js';
import type { StationConfig, TagConfigEntry } from '../../shared/config.js';
import type { compressionSchema } from '../../shared/config/compression.js';
import { ApiFailure, type CallContext, type Dispatcher, type Handlers } from '../api/dispatcher.js';
import { ConfigError } from '../station/config-file.js';
import type { Acquisition } from './acquisition.js';

type Compression = z.output<typeof compressionSchema>;

/**
 * An edit the config would refuse, said by field and what was expected: the file's name and the lines
 * of the edited text (never written) mean nothing to the engineer at the console.
 */
export function configRejected(err: ConfigError): ApiFailure {
  const message = err.problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join('; ') || err.message;
  return new ApiFailure('bad_request', message, { key: 'acquisition.error.configRejected', params: { message } });
}

/** Runs a config edit; a refusal of the config's own checks comes back as the console's bad_request. */
export function editing(acq: Acquisition, mutate: (doc: Document) => void): StationConfig {
  try {
    return acq.editConfig(mutate);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw configRejected(err);
  }
}

export function tagEditHandlers(dispatcher: Dispatcher, acq: Acquisition): Partial<Handlers> {
  return {
    'tags.compression': ({ tag }) => compressionOf(acq.config, configured(acq.config, tag)),
    'tags.setCompression': ({ tag, compression }, ctx) => setCompression(acq, tag, compression, ctx),
    'tags.remove': ({ tag }, ctx) => removeTag(dispatcher, acq, tag, ctx),
  };
}

function configured(config: StationConfig, name: string): TagConfigEntry {
  const tag = config.tags.find((t) => t.name === name);
  if (!tag) throw new ApiFailure('not_found', `no tag "${name}"`, { key: 'acquisition.error.unknownTag', params: { tag: name } });
  return tag;
}

/** As the archive takes it (station/archive.ts historianTagConfig): discrete and text values are stored uncompressed. */
function compressionOf(config: StationConfig, tag: TagConfigEntry): TagCompression {
  const stationDefault = config.station.defaultCompression;
  return {
    tag: tag.name, kind: tag.kind, unit: tag.unit, range: tag.range ?? null,
    own: tag.compression ?? null,
    stationDefault,
    effective: tag.kind === 'analog' ? (tag.compression ?? stationDefault) : { kind: 'none' },
  };
}

function setCompression(acq: Acquisition, name: string, compression: Compression | null, ctx: CallContext): TagCompression {
  ctx.setAudit({ target: name }); // a refusal's entry names the tag too
  const config = acq.config;
  const tag = configured(config, name);
  if (tag.kind !== 'analog') {
    // Written on a discrete or text tag it would be taken and never used: the archive stores their every change.
    throw new ApiFailure('bad_request', `${name}: compression: expected an analog tag (a ${tag.kind} tag is archived uncompressed, every change)`,
      { key: 'acquisition.error.compressionNotAnalog', params: { tag: name, kind: tag.kind } });
  }
  // The config's own check (station-checks.ts), said in the console's words before the file is touched.
  const applies = compression ?? config.station.defaultCompression;
  if (applies.kind !== 'none' && applies.percentOfSpan && !tag.range) {
    const index = config.tags.indexOf(tag);
    const field = compression ? `tags[${index}].compression.percentOfSpan` : 'station.defaultCompression.percentOfSpan';
    throw new ApiFailure('bad_request', `${field}: a deviation in % of span needs the tag's range, and ${name} has none: expected range: [low, high] on the tag, or a deviation in its unit`,
      { key: 'acquisition.error.compressionNeedsRange', params: { tag: name, field, source: compression ? 'own' : 'default' } });
  }
  const before = compressionOf(config, tag);
  ctx.setAudit({ oldValue: { compression: before.own ?? 'station default', effective: before.effective } });
  const next = editing(acq, (doc) => {
    const entry = tagEntry(doc, name);
    if (compression === null) {
      entry.delete('compression');
      return;
    }
    const node = doc.createNode(withoutUndefined(compression));
    // One line, as written by hand ({ kind: deadband, deviation: 0.5 }).
    if (isMap(node)) node.flow = true;
    entry.set('compression', node);
  });
  const after = compressionOf(next, configured(next, name));
  ctx.setAudit({ newValue: { compression: after.own ?? 'station default', effective: after.effective } });
  return after;
}

/** An alarm an operator still has to see through: active, latched or not acknowledged. */
function outstanding(row: AlarmRow): boolean {
  return row.flags.active || !row.flags.acked || row.latched;
}

async function removeTag(dispatcher: Dispatcher, acq: Acquisition, name: string, ctx: CallContext): Promise<{ removed: string }> {
  ctx.setAudit({ target: name });
  const tag = configured(acq.config, name);
  const alarms = (await alarmRows(dispatcher, ctx)).filter((r) => r.tag === name && outstanding(r)).map((r) => r.id);
  if (alarms.length > 0) {
    // Removing the tag removes its alarms: an operator must not lose an alarm standing on the banner to a config edit.
    throw new ApiFailure('conflict', `${name}: alarm ${alarms.join(', ')} is active or not acknowledged; acknowledge it and let it return to normal before the tag is removed`,
      { key: 'acquisition.error.tagHasAlarm', params: { tag: name, alarms: alarms.join(', '), count: alarms.length } });
  }
  ctx.setAudit({ oldValue: withoutUndefined({ ...tag }), newValue: null, detail: 'removed from the station config; its archive is kept' });
  editing(acq, (doc) => {
    const tags = doc.get('tags', true);
    const index = isSeq(tags) ? tags.items.findIndex((i) => isMap(i) && i.get('name') === name) : -1;
    if (!isSeq(tags) || index < 0) throw notInFile(name);
    tags.delete(index);
  });
  return { removed: name };
}

/**
 * The alarm rows as the caller's console gets them (the alarms module owns them; the acquisition knows
 * only the console API). A station without the alarms module has no alarm to lose; one whose alarms
 * cannot be read refuses the removal rather than remove a tag blind.
 */
async function alarmRows(dispatcher: Dispatcher, ctx: CallContext): Promise<AlarmRow[]> {
  if (dispatcher.unhandled().includes('alarms.snapshot')) return [];
  const res = await dispatcher.dispatch('alarms.snapshot', {}, ctx.connection);
  if (res.ok) return (res.result as { rows: AlarmRow[] }).rows;
  throw new ApiFailure('unavailable', `the alarms could not be read (${res.error.message}): a tag is not removed without checking its alarms`,
    { key: 'acquisition.error.alarmsUnreadable', params: { message: res.error.message } });
}

function tagEntry(doc: Document, name: string): YAMLMap {
  const tags = doc.get('tags', true);
  const entry = isSeq(tags) ? tags.items.find((i) => isMap(i) && i.get('name') === name) : undefined;
  if (!isMap(entry)) throw notInFile(name);
  return entry;
}

/** The tag is in the config, so it is in the file unless an overlay (the simulator's own tags) made it. */
function notInFile(name: string): ApiFailure {
  return new ApiFailure('conflict', `${name} is not in the station config file`, { key: 'acquisition.error.notInFile', params: { tag: name } });
}

export function withoutUndefined<T extends object>(o: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
