/**
 * What spans the parts of the station config: ids unique, references to
 * servers, groups, areas and tags known, intervals that fit, alarm limits
 * within their tag's range. Runs on the parts that parsed (see parts.ts): a
 * part the schema aborted in is skipped, and a reference to it is not unknown.
 */
import type { z } from 'zod';
import { checkAlarms } from './alarms.js';
import type { compressionSchema } from './compression.js';
import { keysOf, parsed, type Entries } from './parts.js';
import type { serverConfigSchema } from './servers.js';
import type { tagConfigSchema } from './tags.js';

export type Server = z.output<typeof serverConfigSchema>;
type Tag = z.output<typeof tagConfigSchema>;

export interface StationParts {
  /** The station block's default compression; undefined when the block has errors. */
  defaultCompression: z.output<typeof compressionSchema> | undefined;
  servers: Entries<Server>;
  areas: Entries<{ id: string }>;
  tags: Entries<Tag>;
}

/**
 * A problem at a path of the config; params.firstPath names the other place of a duplicate,
 * params.text the catalog key a console says it with (an engineer's alarm edit refused).
 */
export interface CrossIssue {
  [key: string]: unknown;
  code: 'custom';
  path: (string | number)[];
  message: string;
  params?: { firstPath?: (string | number)[]; text?: { key: string; params: Record<string, string | number> } };
}

export interface IssueSink {
  addIssue(issue: CrossIssue): void;
}

export function checkStation(parts: StationParts, ctx: IssueSink): void {
  // A second server, area or group of the same id would merge two sources into one (e.g. one tag's history).
  checkUnique(parts.servers, ['servers'], 'server id', ctx);
  for (const { value: s, index: i } of parsed(parts.servers)) {
    checkUnique(s.groups.map((g) => ({ value: g, key: g.id })), ['servers', i, 'groups'], 'group id', ctx, ` of server "${s.id}"`);
    checkStaleAfter(s, i, ctx);
  }
  checkUnique(parts.areas, ['areas'], 'area id', ctx);
  const servers = keysOf(parts.servers);
  const groups = new Map(parsed(parts.servers).map(({ value: s }) => [s.id, new Set(s.groups.map((g) => g.id))]));
  const serversById = new Map(parsed(parts.servers).map(({ value: s }) => [s.id, s]));
  const areas = keysOf(parts.areas);
  checkUnique(parts.tags, ['tags'], 'tag name', ctx, '', 'name');
  for (const { value: t, index: i } of parsed(parts.tags)) {
    if (!servers.has(t.server) && servers.complete) ctx.addIssue({ code: 'custom', path: ['tags', i, 'server'], message: `unknown server "${t.server}": expected one of ${servers.list.join(', ')}` });
    const serverGroups = groups.get(t.server);
    if (t.group !== undefined && serverGroups && !serverGroups.has(t.group)) {
      const known = [...serverGroups];
      ctx.addIssue({ code: 'custom', path: ['tags', i, 'group'], message: `unknown group "${t.group}" of server "${t.server}": expected ${known.length ? `one of ${known.join(', ')}` : 'a group defined under the server\'s groups'}` });
    }
    if (!areas.has(t.area) && areas.complete) ctx.addIssue({ code: 'custom', path: ['tags', i, 'area'], message: `unknown area "${t.area}": expected one of ${areas.list.join(', ')}` });
    if (t.deadband && t.kind !== 'analog') {
      ctx.addIssue({ code: 'custom', path: ['tags', i, 'deadband'], message: `a server-side deadband needs an analog tag; ${t.name} is ${t.kind}` });
    }
    // A server-side deadband holds a quiet value unreported: the station cannot tell it from a stuck
    // transmitter, and the frozen-value alarm would stand on every steady tag (a flood of false alarms).
    const server = serversById.get(t.server);
    const group = t.group !== undefined ? server?.groups.find((g) => g.id === t.group) : undefined;
    const deadband = t.deadband ?? group?.deadband;
    if (t.alarms?.frozen && server) checkFrozenWindow(t, i, t.alarms.frozen.afterS, updateIntervalMs(server, t), ctx);
    if (t.alarms?.frozen && deadband) {
      const size = 'absolute' in deadband ? `${deadband.absolute}` : `${deadband.percent} %`;
      const [from, fix] = t.deadband ? [`its deadband: ${size}`, 'remove its deadband'] : [`its group "${t.group}"'s deadband: ${size}`, 'put it in a group without a deadband'];
      ctx.addIssue({ code: 'custom', path: ['tags', i, 'alarms', 'frozen'], message: `a frozen-value alarm needs every change of the value; ${t.name} has a server-side deadband (${from}), under which a steady value is not reported and reads as frozen: ${fix}, or remove the frozen alarm` });
    }
    const compression = t.compression ?? parts.defaultCompression;
    if (t.kind === 'analog' && compression && compression.kind !== 'none' && compression.percentOfSpan && !t.range) {
      const whose = t.compression ? 'its compression' : 'station.defaultCompression';
      ctx.addIssue({ code: 'custom', path: ['tags', i], message: `missing range: ${whose} is in % of span, so the tag needs range: [low, high]` });
    }
  }
  checkAlarms(parts.tags, ctx);
}

/** Windows this many update intervals long at least: a value moving every sample is silent that long between publishes. */
export const FROZEN_MIN_UPDATES = 3;

/** The sampling interval a tag asks of its server (ms): its own, else its group's, else the server's. */
export function samplingIntervalMs(server: Server, tag: { group?: string; samplingIntervalMs?: number }): number {
  return tag.samplingIntervalMs ?? groupOf(server, tag)?.samplingIntervalMs ?? server.samplingIntervalMs;
}

/** How often a tag's value can reach the station (ms): the slower of its sampling and its subscription's publishing. */
export function updateIntervalMs(server: Server, tag: { group?: string; samplingIntervalMs?: number }): number {
  return Math.max(samplingIntervalMs(server, tag), groupOf(server, tag)?.publishingIntervalMs ?? server.publishingIntervalMs);
}

function groupOf(server: Server, tag: { group?: string }) {
  return tag.group !== undefined ? server.groups.find((g) => g.id === tag.group) : undefined;
}

/**
 * A frozen-value window shorter than a few of the tag's update intervals (the slower of its
 * sampling and publishing) would see a moving value stand still between two publishes: the alarm
 * would come and go with every publish (0.1 s on a 500 ms tag: twice a second, a flood).
 */
function checkFrozenWindow(t: { name: string }, i: number, afterS: number, updateMs: number, ctx: IssueSink): void {
  const least = (FROZEN_MIN_UPDATES * updateMs) / 1000;
  // A window the schema refused (not above 0) is said there.
  if (!(afterS > 0) || afterS >= least) return;
  ctx.addIssue({ code: 'custom', path: ['tags', i, 'alarms', 'frozen', 'afterS'], message: `expected at least ${least} s (${FROZEN_MIN_UPDATES} x ${updateMs} ms, the slower of ${t.name}'s sampling and publishing intervals: a moving value is silent that long between publishes), got ${afterS}` });
}

/**
 * staleAfterMs below a publishing interval of the same server cannot be kept: between two
 * publishes the server is silent longer than that by design (the loss watchdog then waits three
 * keep-alive periods instead, and says so only in the log). Each such interval is named.
 */
function checkStaleAfter(s: Server, i: number, ctx: IssueSink): void {
  const intervals: { field: string; ms: number }[] = [{ field: `servers[${i}].publishingIntervalMs`, ms: s.publishingIntervalMs }];
  s.groups.forEach((g, k) => {
    if (g.publishingIntervalMs !== undefined) intervals.push({ field: `servers[${i}].groups[${k}].publishingIntervalMs (group "${g.id}")`, ms: g.publishingIntervalMs });
  });
  for (const { field, ms } of intervals) {
    if (s.staleAfterMs >= ms) continue;
    ctx.addIssue({ code: 'custom', path: ['servers', i, 'staleAfterMs'],
      message: `expected at least ${field}, ${ms} ms (a server publishing less often is silent longer than staleAfterMs between publishes by design); got ${s.staleAfterMs}` });
  }
}

/**
 * Flags each entry whose id (or `field`), as written, parsed or not, an earlier one already has;
 * the loader adds the first one's line.
 */
function checkUnique(entries: Entries<unknown>, at: (string | number)[], what: string, ctx: IssueSink, whose = '', field = 'id'): void {
  const first = new Map<string, number>();
  (entries ?? []).forEach(({ key }, i) => {
    if (key === undefined) return;
    const j = first.get(key);
    if (j === undefined) {
      first.set(key, i);
      return;
    }
    const where = at.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[');
    ctx.addIssue({ code: 'custom', path: [...at, i, field], message: `duplicate ${what} "${key}"${whose}: first defined at ${where}[${j}]`, params: { firstPath: [...at, j, field] } });
  });
}
