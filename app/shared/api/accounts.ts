/**
 * Who is at the console: sessions (sign-in, switch user, sign-out, inactivity),
 * accounts (first administrator, administration) and the audit trail. Viewing
 * the plant needs no sign-in; sign-in itself needs no permission but is audited.
 */
import { z } from 'zod';
import { roles } from '../permissions.js';
import { defineEvents, defineRequests, noParams } from './define.js';

/** Lower-case letters, digits and . _ -, starting with a letter: the name typed at sign-in and kept in the audit trail. */
export const accountUserName = z
  .string()
  .regex(/^[a-z][a-z0-9._-]{1,31}$/, 'expected 2–32 characters: lower-case letters, digits, ". _ -", starting with a letter');
export const accountDisplayName = z.string().trim().min(1, 'expected a display name').max(80, 'expected at most 80 characters');
/** Checked against the password rules by the station (which names the rule), not here: a schema error would echo nothing useful. */
export const accountPassword = z.string().max(1024, 'expected at most 1024 characters');
export const accountRoles = z.array(z.enum(roles)).min(1, 'expected at least one role').max(roles.length);

export const sessionInfo = z.object({
  user: z.string(),
  displayName: z.string(),
  roles: z.array(z.enum(roles)),
  /** When the user signed in (ms UTC). */
  since: z.number(),
  /** Time left before the inactivity sign-out, from when the answer was sent. */
  expiresInMs: z.number(),
});

export const sessionPolicy = z.object({
  inactivityMs: z.number(),
  /** The countdown is shown this long before the inactivity sign-out. */
  warningMs: z.number(),
  minPasswordLength: z.number().int(),
});

export const sessionState = z.object({
  session: sessionInfo.nullable(),
  /** Browser mode beyond loopback: nothing but sign-in until someone signs in. */
  signInRequired: z.boolean(),
  /** No account exists yet. */
  setupNeeded: z.boolean(),
  /** This console may create the first administrator (it is the station's own screen). */
  loopback: z.boolean(),
  policy: sessionPolicy,
});

export const accountInfo = z.object({
  user: z.string(),
  displayName: z.string(),
  roles: z.array(z.enum(roles)),
  created: z.number(),
  changed: z.number(),
  /** When it was disabled; null while enabled. */
  disabled: z.number().nullable(),
  /** Locked after failed sign-ins until then; null when not locked. */
  lockedUntil: z.number().nullable(),
  failures: z.number().int(),
});

export const auditEntry = z.object({
  seq: z.number().int(),
  at: z.number(),
  user: z.string().nullable(),
  role: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  /** JSON text of the value before / after, where there is one. */
  oldValue: z.string().nullable(),
  newValue: z.string().nullable(),
  comment: z.string().nullable(),
  result: z.enum(['ok', 'refused', 'failed']),
  detail: z.string().nullable(),
  source: z.string().nullable(),
});

export const auditFilter = z.strictObject({
  from: z.number().optional(),
  to: z.number().optional(),
  user: z.string().max(64).optional(),
  /** An action name, or its beginning ("session." finds every session entry). */
  action: z.string().max(64).optional(),
  result: z.enum(['ok', 'refused', 'failed']).optional(),
});

const signedIn = z.object({ session: sessionInfo, token: z.string() });

export const accountsRequests = defineRequests({
  'session.current': { params: noParams, result: sessionState, permission: null },
  'session.signIn': { params: z.strictObject({ user: z.string().max(64), password: accountPassword }), result: signedIn, permission: null, audit: true },
  /** A browser-mode reconnect takes back its session with the token it kept in memory. */
  'session.resume': { params: z.strictObject({ token: z.string().max(128) }), result: z.object({ session: sessionInfo.nullable() }), permission: null },
  'session.signOut': { params: noParams, result: z.object({ signedOut: z.boolean() }), permission: null, audit: true, whileTrailFails: true },
  /** The operator pressed a key or moved the mouse: the inactivity sign-out starts again. */
  'session.activity': { params: noParams, result: z.object({ expiresInMs: z.number().nullable() }), permission: null },
  'accounts.setupNeeded': { params: noParams, result: z.object({ setupNeeded: z.boolean(), allowedHere: z.boolean() }), permission: null },
  'accounts.createFirstAdmin': {
    params: z.strictObject({ user: accountUserName, displayName: accountDisplayName, password: accountPassword }),
    result: signedIn,
    permission: null,
    audit: true,
  },
  'accounts.list': { params: noParams, result: z.array(accountInfo), permission: 'accounts.manage' },
  'accounts.create': {
    params: z.strictObject({ user: accountUserName, displayName: accountDisplayName, roles: accountRoles, password: accountPassword }),
    result: accountInfo,
    permission: 'accounts.manage',
  },
  'accounts.update': {
    params: z.strictObject({ user: z.string(), displayName: accountDisplayName.optional(), roles: accountRoles.optional() }),
    result: accountInfo,
    permission: 'accounts.manage',
  },
  'accounts.disable': { params: z.strictObject({ user: z.string() }), result: accountInfo, permission: 'accounts.manage' },
  'accounts.enable': { params: z.strictObject({ user: z.string() }), result: accountInfo, permission: 'accounts.manage' },
  /** Sets a new password and clears a lockout. */
  'accounts.resetPassword': { params: z.strictObject({ user: z.string(), password: accountPassword }), result: accountInfo, permission: 'accounts.manage' },
  /**
   * The caller's own password (IEC 62443-3-3 SR 1.5): no permission, but a signed-in caller, and only
   * their own account (no name is taken). The current password is checked as at sign-in (its failures
   * count toward the lock); every other session of the account ends, the caller's goes on.
   */
  'accounts.changeOwnPassword': {
    params: z.strictObject({ current: accountPassword, password: accountPassword }),
    result: z.object({ otherSessionsEnded: z.number().int() }),
    permission: null,
    audit: true,
  },
  'audit.query': {
    params: auditFilter.extend({ beforeSeq: z.number().int().optional(), limit: z.number().int().min(1).max(500).default(100) }),
    result: z.object({ entries: z.array(auditEntry), total: z.number().int(), more: z.boolean() }),
    permission: 'audit.view',
  },
  'audit.export': {
    params: auditFilter,
    result: z.object({ fileName: z.string(), csv: z.string(), rows: z.number().int() }),
    permission: 'audit.view',
  },
});

/** passwordChanged: the account's password was set anew (every session of it ends); resumedElsewhere: another console took the session up with its token. */
export const sessionChangeReasons = ['signedIn', 'signedOut', 'inactivity', 'handover', 'resumed', 'accountChanged', 'accountDisabled', 'passwordChanged', 'resumedElsewhere'] as const;

export const accountsEvents = defineEvents({
  /** To one console only: who is signed in there now, and why it changed. */
  'session.changed': z.object({ session: sessionInfo.nullable(), reason: z.enum(sessionChangeReasons) }),
});

export type SessionInfo = z.output<typeof sessionInfo>;
export type SessionState = z.output<typeof sessionState>;
export type SessionPolicy = z.output<typeof sessionPolicy>;
export type AccountInfo = z.output<typeof accountInfo>;
export type AuditEntry = z.output<typeof auditEntry>;
export type AuditFilter = z.output<typeof auditFilter>;
export type SessionChangeReason = (typeof sessionChangeReasons)[number];
