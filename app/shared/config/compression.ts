/** Per-tag archive compression (historian/compression): none, deadband or swinging door. */
import { z } from 'zod';

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
