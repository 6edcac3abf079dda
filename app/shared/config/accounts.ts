/**
 * The accounts block: sign-in policy. Every field has a default, so a station
 * config without this block runs with them.
 */
import { z } from 'zod';

/** scrypt costs for new hashes; a stored hash with other costs is rehashed at its next sign-in. */
export const passwordHashSchema = z.strictObject({
  /** CPU/memory cost, a power of two (memory = 128 · N · r bytes). */
  N: z
    .number()
    .int()
    .min(2 ** 10)
    .max(2 ** 22)
    .refine((n) => (n & (n - 1)) === 0, 'expected a power of two'),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
});

/** OWASP's scrypt minimum (N = 2^17, r = 8, p = 1: 128 MiB, about half a second). */
export const defaultPasswordHash = { N: 2 ** 17, r: 8, p: 1 } as const;

export const accountsSchema = z.strictObject({
  /** Minutes without key or mouse input at the console before its user is signed out (fractions allowed). */
  inactivitySignOutMin: z.number().min(0.1).max(24 * 60).default(15),
  /** Seconds before that sign-out the console shows a countdown. */
  inactivityWarningSec: z.number().int().min(5).max(600).default(60),
  /** Failed sign-ins for one name from one source within failureWindowMin that lock the name for that source. */
  lockAfterFailures: z.number().int().min(1).max(100).default(5),
  /** Minutes a failed sign-in counts towards a lock (IEC 62443-3-3 SR 1.11: a limit within a time period). */
  failureWindowMin: z.number().min(1).max(24 * 60).default(15),
  /** How long a locked account stays locked. */
  lockMinutes: z.number().min(1).max(24 * 60).default(15),
  minPasswordLength: z.number().int().min(8).max(128).default(10),
  passwordHash: passwordHashSchema.default(defaultPasswordHash),
});

export type AccountsConfig = z.output<typeof accountsSchema>;
export type PasswordHashCost = z.output<typeof passwordHashSchema>;
