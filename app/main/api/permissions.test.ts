/**
 * The permission matrix is enforced for every request of the console API, as
 * declared in app/shared/api.ts: whatever module adds a request later, this
 * test covers it. For each request with a permission, a caller holding none
 * of its roles (or nobody signed in) is refused by the dispatcher, and a
 * caller holding any one of them is not.
 */
import { describe, expect, it } from 'vitest';
import { requests, type RequestName } from '../../shared/api.js';
import { permissionMatrix, roles, type Role } from '../../shared/permissions.js';
import { silentLogger } from '../log.js';
import { internalConnection, type Connection, type Session } from './connection.js';
import { Dispatcher } from './dispatcher.js';

const sessions = new Map<Connection, Session>();
const asRole = (role: Role | null): Connection => {
  const c = internalConnection(role ?? 'nobody');
  if (role) sessions.set(c, { id: role, user: `a-${role}`, displayName: role, roles: [role], since: 0 });
  return c;
};
const callers = new Map<Role | null, Connection>([null, ...roles].map((r) => [r, asRole(r)]));

// No handlers: the check under test is the dispatcher's, before any handler.
const d = new Dispatcher(silentLogger());
d.useSessions({ sessionOf: (c) => sessions.get(c) ?? null });
d.useAudit({ record: () => undefined });

const permissioned = (Object.keys(requests) as RequestName[]).filter((n) => requests[n].permission !== null);

describe('the permission matrix, for every request of the console API', () => {
  it('covers requests that need a permission', () => {
    expect(permissioned.length).toBeGreaterThan(0);
  });

  for (const name of permissioned) {
    const permission = requests[name].permission!;
    const allowed: readonly Role[] = permissionMatrix[permission].roles;
    it(`${name} needs ${permission}: ${allowed.join(', ')}`, async () => {
      for (const [role, conn] of callers) {
        const res = await d.dispatch(name, {}, conn);
        const refused = !res.ok && res.error.code === 'forbidden';
        expect(refused, `${name} as ${role ?? 'nobody signed in'}`).toBe(!(role && allowed.includes(role)));
        if (refused) expect(res.error.message).toContain(`"${permission}"`);
      }
    });
  }
});
