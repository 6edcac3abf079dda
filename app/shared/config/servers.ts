/**
 * OPC UA servers the station reads: where (a primary endpoint and its
 * backups), how securely (message security, user identity), and how (tag
 * groups with their sampling and publishing intervals, queues, deadbands).
 * A password never appears here: only the name of the environment variable
 * or the keychain entry that holds it.
 */
import { z } from 'zod';
import { id } from './ids.js';

const endpointUrl = z.string().regex(/^opc\.tcp:\/\/[^\s/]+(:\d+)?(\/.*)?$/, 'expected an endpoint URL opc.tcp://host:port/path')
  .refine((url) => { const port = /^opc\.tcp:\/\/[^\s/]*:(\d+)(\/|$)/.exec(url)?.[1]; return port === undefined || (Number(port) >= 1 && Number(port) <= 65535); },
    'expected a port from 1 to 65535 in opc.tcp://host:port/path');

export const securityModes = ['None', 'Sign', 'SignAndEncrypt'] as const;
export const securityPolicies = ['None', 'Basic256Sha256', 'Aes128_Sha256_RsaOaep', 'Aes256_Sha256_RsaPss'] as const;

export const securitySchema = z
  .strictObject({
    mode: z.enum(securityModes),
    policy: z.enum(securityPolicies),
  })
  .refine((s) => (s.mode === 'None') === (s.policy === 'None'), {
    message: 'expected mode None with policy None, and Sign or SignAndEncrypt with a policy other than None',
  });

/** Where a user's password comes from: never the config file itself. */
export const passwordSourceSchema = z.union([
  z.strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name') }),
  z.strictObject({ keychain: z.strictObject({ service: z.string().min(1), account: z.string().min(1) }) }),
]);

export const identitySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('anonymous') }),
  z.strictObject({
    kind: z.literal('userName'),
    userName: z.string().min(1),
    password: passwordSourceSchema,
    /** Send the password where the server offers no encryption for it (an old server on a closed network); logged at every connection. */
    allowUnencryptedPassword: z.boolean().default(false),
  }),
  z.strictObject({
    kind: z.literal('certificate'),
    /** PEM files; a relative path is taken from the data directory. */
    certificate: z.string().min(1),
    privateKey: z.string().min(1),
  }),
]);

/** Server-side filter on a monitored item: report only changes larger than this (Part 4 DataChangeFilter). */
export const deadbandSchema = z.union([
  z.strictObject({ absolute: z.number().positive() }),
  /** % of the EURange the server knows for the variable (Part 8 PercentDeadband). */
  z.strictObject({ percent: z.number().positive().max(100) }),
]);

/** Tags that share a subscription: one publishing interval, a default sampling interval and queue. */
export const tagGroupSchema = z.strictObject({
  id,
  samplingIntervalMs: z.number().int().nonnegative().optional(),
  publishingIntervalMs: z.number().int().positive().optional(),
  /** Values the server keeps per item between publishes; default: enough for two publishing intervals. */
  queueSize: z.number().int().positive().optional(),
  deadband: deadbandSchema.optional(),
});

export const redundancySchema = z.strictObject({
  /** Return to the primary once it is healthy again. */
  failback: z.boolean().default(true),
  /** A ServiceLevel below this is degraded (Part 4 §6.6.2.4.2: 200..255 healthy). */
  minServiceLevel: z.number().int().min(0).max(255).default(200),
  /** How often the standby endpoints are checked (ms). */
  probeIntervalMs: z.number().int().positive().default(2000),
  /** How long the primary must stay healthy before switching back (ms). */
  failbackAfterMs: z.number().int().nonnegative().default(5000),
});

export const serverConfigSchema = z.strictObject({
  id,
  /** The primary endpoint. */
  endpoint: endpointUrl,
  /** Backup endpoints of the same logical server (non-transparent redundancy), in order of preference. */
  backupEndpoints: z.array(endpointUrl).default([]),
  security: securitySchema.default({ mode: 'None', policy: 'None' }),
  identity: identitySchema.default({ kind: 'anonymous' }),
  redundancy: redundancySchema.default({ failback: true, minServiceLevel: 200, probeIntervalMs: 2000, failbackAfterMs: 5000 }),
  samplingIntervalMs: z.number().int().nonnegative().default(500),
  publishingIntervalMs: z.number().int().positive().default(500),
  /** A server silent (no data, no keep-alive) for longer than this is marked lost and its values bad. */
  staleAfterMs: z.number().int().positive().default(3000),
  /** Fill the gaps of a loss from the server's own history (HistoryRead) when it has one. */
  backfill: z.boolean().default(true),
  /**
   * Who applies the tags' deadbands: the server's DataChangeFilter, or the station on every change
   * the server sends (for a server that misapplies them); auto: the server, unless its BuildInfo
   * names a product known to misapply them (acquisition/build-info.ts).
   */
  deadbandBy: z.enum(['auto', 'server', 'station']).default('auto'),
  groups: z.array(tagGroupSchema).default([]),
});
