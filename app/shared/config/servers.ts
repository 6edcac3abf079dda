/** OPC UA servers the station reads. */
import { z } from 'zod';
import { id } from './ids.js';

export const serverConfigSchema = z.strictObject({
  id,
  endpoint: z.string().regex(/^opc\.tcp:\/\/[^\s/]+(:\d+)?(\/.*)?$/, 'expected an endpoint URL opc.tcp://host:port/path'),
  samplingIntervalMs: z.number().int().nonnegative().default(500),
  publishingIntervalMs: z.number().int().positive().default(500),
  /** A server silent for longer than this is marked lost and its values bad. */
  staleAfterMs: z.number().int().positive().default(3000),
});
