/** One tag: where it is read, what it is, how it is archived and shown. */
import { z } from 'zod';
import { tagAlarmsSchema } from './alarms.js';
import { compressionSchema } from './compression.js';
import { id } from './ids.js';
import { NODE_ID_EXPECTED, parseNodeId } from './node-id.js';
import { deadbandSchema } from './servers.js';

export const tagRoles = [
  'level', 'temperature', 'pressure', 'inletValve', 'outletValve', 'pump',
  'highLevelSwitch', 'product', 'lel', 'toxic', 'esd', 'other',
] as const;

export const tagConfigSchema = z
  .strictObject({
    name: id,
    server: id,
    /** By namespace URI (nsu=…, survives a server that renumbers its namespaces) or by index (ns=…). */
    nodeId: z.string().min(1, 'expected an OPC UA node id such as "ns=1;s=Area1.TK101.Level"').superRefine((s, ctx) => {
      if (s !== '' && !parseNodeId(s)) ctx.addIssue({ code: 'custom', message: `${NODE_ID_EXPECTED}, got ${JSON.stringify(s)}` });
    }),
    description: z.string().default(''),
    unit: z.string().default(''),
    range: z.tuple([z.number(), z.number()], { error: 'expected [low, high]' }).optional(),
    kind: z.enum(['analog', 'discrete', 'text']),
    area: id,
    equipment: z.string().min(1).optional(),
    role: z.enum(tagRoles).default('other'),
    compression: compressionSchema.optional(),
    stepped: z.boolean().optional(),
    /** Decimals shown on screen; default from the OPC UA data type and the range. */
    decimals: z.number().int().min(0).max(9).optional(),
    /** How often the server samples this variable (ms); default: its group's, then its server's. */
    samplingIntervalMs: z.number().int().nonnegative().optional(),
    alarms: tagAlarmsSchema.optional(),
    /** The server's tag group (subscription) this tag belongs to; default: the server's own intervals. */
    group: id.optional(),
    /** Server-side deadband for this tag; default: its group's. */
    deadband: deadbandSchema.optional(),
  })
  .refine((t) => !t.range || t.range[0] < t.range[1], {
    message: 'expected [low, high] with low < high',
    path: ['range'],
  });
