/**
 * How a console-API request is declared: its params and result schemas and
 * the permission it needs, side by side. Each module of the station declares
 * its requests in its own file under app/shared/api/, and api.ts joins them.
 */
import { z } from 'zod';
import type { Permission } from '../permissions.js';

export interface RequestDef {
  params: z.ZodType;
  result: z.ZodType;
  /** What the caller must hold; null: viewing, no sign-in needed. */
  permission: Permission | null;
  /**
   * Written to the audit trail even without a permission (sign-in, sign-out).
   * Every request with a permission is audited whatever this says.
   */
  audit?: true;
  /**
   * Runs even while the audit trail cannot be written (its entry then goes to the station log
   * only): for a request that only takes privilege away (sign-out). Every other audited
   * request is refused until the trail can take its entry.
   */
  whileTrailFails?: true;
}

export const noParams = z.object({}).strict();

/** Identity with the types checked: `defineRequests({ 'x.y': { params, result, permission } })`. */
export const defineRequests = <const T extends Record<string, RequestDef>>(defs: T): T => defs;
export const defineEvents = <const T extends Record<string, z.ZodType>>(defs: T): T => defs;
