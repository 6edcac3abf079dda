/**
 * The station configuration: one YAML file, validated by this schema. Each
 * part lives in its own file under config/; this one joins them, and
 * config/station-checks.ts checks what spans parts (references, duplicates). Shared by the station
 * (validation, acquisition) and the renderer (types).
 */
import { z } from 'zod';
import { alarmSettingsSchema } from './config/alarms.js';
import { accountsSchema } from './config/accounts.js';
import { id } from './config/ids.js';
import { ParsedSoFar } from './config/parts.js';
import { serverConfigSchema } from './config/servers.js';
import { checkStation, type StationParts } from './config/station-checks.js';
import { stationSchema } from './config/station.js';
import { syncConfigSchema } from './config/sync.js';
import { tagConfigSchema } from './config/tags.js';

export { compressionSchema } from './config/compression.js';
export { alarmSettingsSchema, tagAlarmsSchema, type AlarmSettings, type TagAlarms } from './config/alarms.js';
export { serverConfigSchema, securityModes, securityPolicies } from './config/servers.js';
export { tagConfigSchema, tagRoles } from './config/tags.js';
export { syncConfigSchema, upstreamSchema } from './config/sync.js';

const areaSchema = z.strictObject({ id, name: z.string().min(1) });

const stationShape = {
  station: stationSchema,
  servers: z.array(serverConfigSchema).min(1, 'at least one server'),
  areas: z.array(areaSchema).min(1, 'at least one area'),
  tags: z.array(tagConfigSchema),
  /** Forwarding to the regional server(s); none by default. */
  sync: syncConfigSchema.default({ backlogAlarmAfterSec: 900, upstreams: [] }),
  alarms: alarmSettingsSchema.prefault({}),
  accounts: accountsSchema.prefault({}),
};

/**
 * What spans parts is checked on every part that parsed, also while others have schema errors
 * (`when`): one load reports every problem (see config/parts.ts).
 */
export const stationConfigSchema = z.strictObject(stationShape).superRefine(
  (_, ctx) => checkStation(partsOf(new ParsedSoFar(ctx.value, ctx.issues)), { addIssue: (issue) => ctx.addIssue(issue) }),
  { when: () => true },
);

type ParsedStation = z.output<z.ZodObject<typeof stationShape>>;

function partsOf(so: ParsedSoFar): StationParts {
  return {
    defaultCompression: so.parsedAt<ParsedStation['station']['defaultCompression']>(['station', 'defaultCompression']),
    servers: so.entries<ParsedStation['servers'][number]>(['servers'], 'id'),
    areas: so.entries<ParsedStation['areas'][number]>(['areas'], 'id'),
    tags: so.entries<ParsedStation['tags'][number]>(['tags'], 'name'),
  };
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
