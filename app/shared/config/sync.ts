/**
 * The sync part of the station config: where the archive is forwarded and how.
 * Credentials are never in the file: an upstream names an environment variable
 * or an OS keychain entry that holds the secret.
 */
import { z } from 'zod';
import { id } from './ids.js';

export const flavours = ['influxdb1', 'influxdb2', 'influxdb3', 'victoriametrics'] as const;
export type Flavour = (typeof flavours)[number];

export const syncStreams = ['samples', 'gaps', 'alarms', 'audit'] as const;
export type SyncStreamName = (typeof syncStreams)[number];

export const secretRefSchema = z.union([
  z.strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name') }),
  z.strictObject({ keychain: z.strictObject({ service: z.string().min(1).default('vigil'), account: z.string().min(1) }) }),
], { error: 'expected { env: NAME } or { keychain: { service, account } } (a secret is never written in the config file)' });

// eslint-disable-next-line no-control-regex -- control characters are what it refuses
const nameText = z.string().min(1).refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'expected no control characters');

export const upstreamSchema = z
  .strictObject({
    id,
    url: z.string()
      .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'expected an http:// or https:// base URL without query, e.g. https://region.example:8086')
      // user:password@ would put a secret in the config file, the logs and every console's sync status.
      .refine((u) => !/^https?:\/\/[^/]*@/.test(u), 'expected no user name or password in the URL: give them as credentials: { username, secret: { env: NAME } }'),
    flavour: z.enum(flavours),
    /** influxdb1, influxdb3: the database; victoriametrics: optional, becomes the `db` label. */
    database: nameText.optional(),
    /** influxdb1: retention policy (default: the database's default). */
    retentionPolicy: nameText.optional(),
    /** influxdb2: organization and bucket. */
    org: nameText.optional(),
    bucket: nameText.optional(),
    /** victoriametrics cluster: the tenant ("accountID" or "accountID:projectID"); absent for a single node. */
    tenant: z.string().regex(/^\d+(:\d+)?$/, 'expected accountID or accountID:projectID').optional(),
    credentials: z.strictObject({ username: z.string().min(1).optional(), secret: secretRefSchema }).optional(),
    tls: z.strictObject({ caFile: z.string().min(1) }).optional(),
    batch: z.strictObject({
      lines: z.number().int().min(1).max(100_000).default(5000),
      bytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
    }).default({ lines: 5000, bytes: 1024 * 1024 }),
    /** How long new data may wait for a fuller batch (ms). */
    flushIntervalMs: z.number().int().min(50).max(600_000).default(1000),
    /** Lines per second for draining a backlog (live data goes first, unlimited); 0: no limit. */
    drainRateLimit: z.number().int().nonnegative().default(50_000),
    /** After an upstream restart, what it acknowledged this long before is sent again (s); 0: never. */
    resendWindowSec: z.number().int().nonnegative().max(86_400).default(60),
    /** One request's time limit (ms). */
    timeoutMs: z.number().int().min(1000).max(600_000).default(30_000),
    /**
     * gzip level of request bodies; 0 sends them uncompressed. Line protocol at level 1 is
     * ~16x smaller at a fifth of level 6's CPU (which gains only ~15 % more).
     */
    gzipLevel: z.number().int().min(0).max(9).default(1),
    /** The upstream's retention (days): older samples are refused here instead of dropped silently there. */
    retentionDays: z.number().positive().optional(),
    /** What goes to this upstream; default all. */
    streams: z.array(z.enum(syncStreams)).min(1).optional(),
    enabled: z.boolean().default(true),
  })
  .superRefine((u, ctx) => {
    const need = (field: 'database' | 'org' | 'bucket') => {
      if (u[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `missing ${field}: flavour ${u.flavour} needs it` });
    };
    if (u.flavour === 'influxdb1' || u.flavour === 'influxdb3') need('database');
    if (u.flavour === 'influxdb2') { need('org'); need('bucket'); }
    if (u.tenant !== undefined && u.flavour !== 'victoriametrics') ctx.addIssue({ code: 'custom', path: ['tenant'], message: 'tenant is for victoriametrics clusters only' });
    if (u.retentionPolicy !== undefined && u.flavour !== 'influxdb1') ctx.addIssue({ code: 'custom', path: ['retentionPolicy'], message: 'retentionPolicy is for influxdb1 only (2.x/3.x: the bucket or database sets retention)' });
  });

export const syncConfigSchema = z.strictObject({
  /** The `site` tag on every line; default: the station name. */
  site: nameText.optional(),
  /** Measurement of samples (the others get _gaps, _alarms, _audit); default: from the station name. */
  measurement: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'expected letters, digits, _ . - (starting with a letter or _)').optional(),
  /** A sync alarm when an upstream's oldest unsent change is older than this (s). */
  backlogAlarmAfterSec: z.number().int().positive().default(900),
  upstreams: z.array(upstreamSchema).default([]),
}).superRefine((s, ctx) => {
  const ids = new Set<string>();
  s.upstreams.forEach((u, i) => {
    if (ids.has(u.id)) ctx.addIssue({ code: 'custom', path: ['upstreams', i, 'id'], message: `duplicate upstream id "${u.id}"` });
    ids.add(u.id);
  });
});

export type SyncConfig = z.output<typeof syncConfigSchema>;
export type UpstreamConfig = z.output<typeof upstreamSchema>;
export type SecretRef = z.output<typeof secretRefSchema>;

/** The measurement used when the config names none: the station name in lower case, other characters as _. */
export function defaultMeasurement(stationName: string): string {
  const m = stationName.toLowerCase().replace(/[^a-z0-9_.-]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[a-z_]/.test(m) ? m : `station_${m}`;
}
