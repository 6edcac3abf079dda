/**
 * The station configuration: one YAML file, validated by this schema. Each
 * part lives in its own file under config/; this one joins them and checks
 * what spans parts (references, duplicates). Shared by the station
 * (validation, acquisition) and the renderer (types).
 */
import { z } from 'zod';
import { alarmSettingsSchema, checkAlarms } from './config/alarms.js';
import { accountsSchema } from './config/accounts.js';
import { id } from './config/ids.js';
import { serverConfigSchema } from './config/servers.js';
import { stationSchema } from './config/station.js';
import { syncConfigSchema } from './config/sync.js';
import { tagConfigSchema } from './config/tags.js';

export { compressionSchema } from './config/compression.js';
export { alarmSettingsSchema, tagAlarmsSchema, type AlarmSettings, type TagAlarms } from './config/alarms.js';
export { serverConfigSchema, securityModes, securityPolicies } from './config/servers.js';
export { tagConfigSchema, tagRoles } from './config/tags.js';
export { syncConfigSchema, upstreamSchema } from './config/sync.js';

export const stationConfigSchema = z
  .strictObject({
    station: stationSchema,
    servers: z.array(serverConfigSchema).min(1, 'at least one server'),
    areas: z.array(z.strictObject({ id, name: z.string().min(1) })).min(1, 'at least one area'),
    tags: z.array(tagConfigSchema),
    /** Forwarding to the regional server(s); none by default. */
    sync: syncConfigSchema.default({ backlogAlarmAfterSec: 900, upstreams: [] }),
    alarms: alarmSettingsSchema.prefault({}),
    accounts: accountsSchema.prefault({}),
  })
  .superRefine((cfg, ctx) => {
    // A second server, area or group of the same id would merge two sources into one (e.g. one tag's history).
    checkUnique(cfg.servers, ['servers'], 'server id', ctx);
    cfg.servers.forEach((s, i) => checkUnique(s.groups, ['servers', i, 'groups'], 'group id', ctx, ` of server "${s.id}"`));
    checkUnique(cfg.areas, ['areas'], 'area id', ctx);
    cfg.servers.forEach((s, i) => checkStaleAfter(s, i, ctx));
    const servers = new Set(cfg.servers.map((s) => s.id));
    const groups = new Map(cfg.servers.map((s) => [s.id, new Set(s.groups.map((g) => g.id))]));
    const areas = new Set(cfg.areas.map((a) => a.id));
    const firstIndex = new Map<string, number>();
    cfg.tags.forEach((t, i) => {
      if (!servers.has(t.server)) ctx.addIssue({ code: 'custom', path: ['tags', i, 'server'], message: `unknown server "${t.server}": expected one of ${[...servers].join(', ')}` });
      const serverGroups = groups.get(t.server);
      if (t.group !== undefined && serverGroups && !serverGroups.has(t.group)) {
        const known = [...serverGroups];
        ctx.addIssue({ code: 'custom', path: ['tags', i, 'group'], message: `unknown group "${t.group}" of server "${t.server}": expected ${known.length ? `one of ${known.join(', ')}` : 'a group defined under the server\'s groups'}` });
      }
      if (!areas.has(t.area)) ctx.addIssue({ code: 'custom', path: ['tags', i, 'area'], message: `unknown area "${t.area}": expected one of ${[...areas].join(', ')}` });
      const first = firstIndex.get(t.name);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['tags', i, 'name'], message: `duplicate tag name "${t.name}": first defined at tags[${first}]`, params: { firstPath: ['tags', first, 'name'] } });
      } else firstIndex.set(t.name, i);
      if (t.deadband && t.kind !== 'analog') {
        ctx.addIssue({ code: 'custom', path: ['tags', i, 'deadband'], message: `a server-side deadband needs an analog tag; ${t.name} is ${t.kind}` });
      }
      const compression = t.compression ?? cfg.station.defaultCompression;
      if (t.kind === 'analog' && compression.kind !== 'none' && compression.percentOfSpan && !t.range) {
        const whose = t.compression ? 'its compression' : 'station.defaultCompression';
        ctx.addIssue({ code: 'custom', path: ['tags', i], message: `missing range: ${whose} is in % of span, so the tag needs range: [low, high]` });
      }
    });
    checkAlarms(cfg.tags, ctx);
  });

/**
 * staleAfterMs below a publishing interval of the same server cannot be kept: between two
 * publishes the server is silent longer than that by design (the loss watchdog then waits three
 * keep-alive periods instead, and says so only in the log). Each such interval is named.
 */
function checkStaleAfter(s: z.output<typeof serverConfigSchema>, i: number, ctx: z.RefinementCtx): void {
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

/** Flags each entry whose id an earlier one already has; describeIssue adds the first one's line. */
function checkUnique(list: readonly { id: string }[], at: (string | number)[], what: string, ctx: z.RefinementCtx, whose = ''): void {
  const first = new Map<string, number>();
  list.forEach((item, i) => {
    const j = first.get(item.id);
    if (j === undefined) {
      first.set(item.id, i);
      return;
    }
    const where = at.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[');
    ctx.addIssue({ code: 'custom', path: [...at, i, 'id'], message: `duplicate ${what} "${item.id}"${whose}: first defined at ${where}[${j}]`, params: { firstPath: [...at, j, 'id'] } });
  });
}

export type StationConfig = z.infer<typeof stationConfigSchema>;
export type ServerConfig = z.infer<typeof serverConfigSchema>;
export type TagGroupConfig = ServerConfig['groups'][number];
export type DeadbandConfig = z.infer<typeof import('./config/servers.js').deadbandSchema>;
export type IdentityConfig = ServerConfig['identity'];
export type SecurityConfig = ServerConfig['security'];
export type TagConfigEntry = z.infer<typeof tagConfigSchema>;
export type { AccountsConfig } from './config/accounts.js';
export type TagRole = (typeof import('./config/tags.js').tagRoles)[number];
