/**
 * The station configuration: one YAML file, validated by this schema.
 * Shared by the station (validation, acquisition) and the renderer (types).
 */
import { z } from 'zod';

const id = z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'expected an identifier (letters, digits, _ . -, starting with a letter)');

export const compressionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({
    kind: z.literal('deadband'),
    deviation: z.number().nonnegative(),
    percentOfSpan: z.boolean().optional(),
    maxIntervalMs: z.number().int().positive().optional(),
  }),
  z.strictObject({
    kind: z.literal('swinging-door'),
    deviation: z.number().nonnegative(),
    percentOfSpan: z.boolean().optional(),
    minIntervalMs: z.number().int().nonnegative().optional(),
    maxIntervalMs: z.number().int().positive().optional(),
    exceptionDeviation: z.number().nonnegative().optional(),
  }),
]);

export const tagRoles = [
  'level', 'temperature', 'pressure', 'inletValve', 'outletValve', 'pump',
  'highLevelSwitch', 'product', 'lel', 'toxic', 'esd', 'other',
] as const;

export const tagConfigSchema = z
  .strictObject({
    name: id,
    server: id,
    nodeId: z.string().min(1, 'expected an OPC UA node id such as "ns=1;s=Area1.TK101.Level"'),
    description: z.string().default(''),
    unit: z.string().default(''),
    range: z.tuple([z.number(), z.number()]).optional(),
    kind: z.enum(['analog', 'discrete', 'text']),
    area: id,
    equipment: z.string().min(1).optional(),
    role: z.enum(tagRoles).default('other'),
    compression: compressionSchema.optional(),
    stepped: z.boolean().optional(),
    samplingIntervalMs: z.number().int().nonnegative().optional(),
  })
  .refine((t) => !t.range || t.range[0] < t.range[1], {
    message: 'range must be [low, high] with low < high',
    path: ['range'],
  });

export const serverConfigSchema = z.strictObject({
  id,
  endpoint: z.string().regex(/^opc\.tcp:\/\/[^\s/]+(:\d+)?(\/.*)?$/, 'expected an endpoint URL opc.tcp://host:port/path'),
  samplingIntervalMs: z.number().int().nonnegative().default(500),
  publishingIntervalMs: z.number().int().positive().default(500),
  /** A server silent for longer than this is marked lost and its values bad. */
  staleAfterMs: z.number().int().positive().default(3000),
});

export const stationConfigSchema = z
  .strictObject({
    station: z.strictObject({
      name: z.string().min(1),
      defaultCompression: compressionSchema.default({ kind: 'deadband', deviation: 0.1, percentOfSpan: true }),
    }),
    servers: z.array(serverConfigSchema).min(1, 'at least one server'),
    areas: z.array(z.strictObject({ id, name: z.string().min(1) })).min(1, 'at least one area'),
    tags: z.array(tagConfigSchema),
  })
  .superRefine((cfg, ctx) => {
    const servers = new Set(cfg.servers.map((s) => s.id));
    const areas = new Set(cfg.areas.map((a) => a.id));
    const names = new Set<string>();
    cfg.tags.forEach((t, i) => {
      if (!servers.has(t.server)) ctx.addIssue({ code: 'custom', path: ['tags', i, 'server'], message: `unknown server "${t.server}": expected one of ${[...servers].join(', ')}` });
      if (!areas.has(t.area)) ctx.addIssue({ code: 'custom', path: ['tags', i, 'area'], message: `unknown area "${t.area}": expected one of ${[...areas].join(', ')}` });
      if (names.has(t.name)) ctx.addIssue({ code: 'custom', path: ['tags', i, 'name'], message: `duplicate tag name "${t.name}"` });
      const compression = t.compression ?? cfg.station.defaultCompression;
      if (t.kind === 'analog' && compression.kind !== 'none' && compression.percentOfSpan && !t.range) {
        const whose = t.compression ? 'its compression' : 'station.defaultCompression';
        ctx.addIssue({ code: 'custom', path: ['tags', i], message: `missing range: ${whose} is in % of span, so the tag needs range: [low, high]` });
      }
      names.add(t.name);
    });
  });

export type StationConfig = z.infer<typeof stationConfigSchema>;
export type ServerConfig = z.infer<typeof serverConfigSchema>;
export type TagConfigEntry = z.infer<typeof tagConfigSchema>;
export type TagRole = (typeof tagRoles)[number];
