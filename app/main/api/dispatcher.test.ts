import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiFailure, Dispatcher, EventHub, UnavailableError, type CallContext, type Handlers } from './dispatcher.js';
import { internalConnection, type Session, type Connection } from './connection.js';
import type { AuditRecord } from './audit-sink.js';
import type { RequestDef } from '../../shared/api.js';
import { silentLogger } from '../log.js';

const conn = internalConnection('test');

describe('dispatcher', () => {
  const d = new Dispatcher(silentLogger());
  d.register('test', {
    'station.info': () => ({ name: 'S', areas: [], servers: [], version: '0', simulator: false, shell: 'browser', locale: 'en' }),
    'tags.list': () => [],
    'live.snapshot': () => {
      throw new Error('cache exploded');
    },
    'tags.archiveStats': () => {
      throw new UnavailableError('historian is not open');
    },
  } satisfies Partial<Handlers>);

  it('answers a known call', async () => {
    expect(await d.dispatch('station.info', {}, conn)).toMatchObject({ ok: true, result: { name: 'S' } });
  });

  it('refuses unknown methods and bad params with codes', async () => {
    expect(await d.dispatch('system.shutdown', {}, conn)).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await d.dispatch('__proto__', {}, conn)).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    const bad = await d.dispatch('tags.list', { extra: 1 }, conn);
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('turns handler failures into error values', async () => {
    expect(await d.dispatch('live.snapshot', {}, conn)).toEqual({ ok: false, error: { code: 'internal', message: 'live.snapshot failed: cache exploded' } });
    expect(await d.dispatch('tags.archiveStats', {}, conn)).toEqual({ ok: false, error: { code: 'unavailable', message: 'historian is not open' } });
  });

  it('a request has one owner', () => {
    expect(() => d.register('other', { 'tags.list': () => [] })).toThrow('"tags.list" is already handled by test');
  });
});

describe('dispatcher permissions and audit', () => {
  // An API of its own, so the rules are tested apart from which requests the product has today.
  const defs: Record<string, RequestDef> = {
    'plant.view': { params: z.object({}).strict(), result: z.number(), permission: null },
    'alarm.ack': { params: z.object({ id: z.string(), comment: z.string().optional() }).strict(), result: z.boolean(), permission: 'alarms.acknowledge' },
    'account.signIn': { params: z.object({ user: z.string(), password: z.string() }).strict(), result: z.boolean(), permission: null, audit: true },
    'limit.set': { params: z.object({ tag: z.string(), value: z.number() }).strict(), result: z.number(), permission: 'alarms.configure' },
  };
  const operator: Session = { id: 's1', user: 'ivanova', displayName: 'A. Ivanova', roles: ['operator'], since: 0 };
  const sessions = new Map<Connection, Session>();
  const audit: AuditRecord[] = [];
  let ran = 0;
  const d = new Dispatcher(silentLogger(), defs);
  d.useSessions({ sessionOf: (c) => sessions.get(c) ?? null });
  d.useAudit({ record: (e) => audit.push(e) });
  d.register('test', {
    'plant.view': () => 42,
    'alarm.ack': (p: { id: string; comment?: string }, ctx: CallContext) => {
      ran++;
      ctx.setAudit({ target: p.id, comment: p.comment ?? null });
      if (p.id === 'changed') throw new ApiFailure('conflict', 'alarm changed — review', { key: 'alarms.changed' });
      return true;
    },
    'account.signIn': (p: { user: string }, ctx: CallContext) => {
      ctx.setAudit({ user: p.user });
      return false;
    },
    'limit.set': () => 1,
  } as unknown as Partial<Handlers>);

  it('viewing needs nobody signed in and is not audited', async () => {
    expect(await d.dispatch('plant.view', {}, conn)).toEqual({ ok: true, result: 42 });
    expect(audit).toEqual([]);
  });

  it('refuses an action to a view-only console before the handler runs, naming the permission, and audits it', async () => {
    const res = await d.dispatch('alarm.ack', { id: 'LI-101.H' }, conn);
    expect(res).toMatchObject({ ok: false, error: { code: 'forbidden', i18n: { key: 'error.forbidden.signIn', params: { permission: 'alarms.acknowledge' } } } });
    expect(ran).toBe(0);
    expect(audit.at(-1)).toMatchObject({ user: null, action: 'alarm.ack', result: 'refused', source: 'internal:test' });
    expect(audit.at(-1)?.detail).toContain('alarms.acknowledge');
  });

  it('runs an action for a caller who holds the permission, auditing who, what and the comment', async () => {
    const c = internalConnection('desk');
    sessions.set(c, operator);
    expect(await d.dispatch('alarm.ack', { id: 'LI-101.H', comment: 'level checked on site' }, c)).toEqual({ ok: true, result: true });
    expect(audit.at(-1)).toMatchObject({ user: 'ivanova', role: 'operator', action: 'alarm.ack', target: 'LI-101.H', comment: 'level checked on site', result: 'ok' });
    const refused = await d.dispatch('limit.set', { tag: 'LI-101', value: 85 }, c);
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((refused as { error: { message: string } }).error.message).toContain('"alarms.configure"');
    expect(audit.at(-1)).toMatchObject({ user: 'ivanova', action: 'limit.set', result: 'refused' });
  });

  it('keeps a handler error meaning (conflict) and audits it as refused', async () => {
    const c = internalConnection('desk2');
    sessions.set(c, operator);
    expect(await d.dispatch('alarm.ack', { id: 'changed' }, c)).toEqual({ ok: false, error: { code: 'conflict', message: 'alarm changed — review', i18n: { key: 'alarms.changed' } } });
    expect(audit.at(-1)).toMatchObject({ action: 'alarm.ack', target: 'changed', result: 'refused', detail: 'alarm changed — review' });
  });

  it('audits a request marked audit without a permission, never its password', async () => {
    await d.dispatch('account.signIn', { user: 'petrov', password: 'hunter2-secret' }, conn);
    const entry = audit.at(-1)!;
    expect(entry).toMatchObject({ user: 'petrov', action: 'account.signIn', result: 'ok' });
    expect(JSON.stringify(entry)).not.toContain('hunter2-secret');
  });
});

describe('event hub', () => {
  it('fans events out to every subscriber until it unsubscribes', () => {
    const hub = new EventHub();
    const seen: string[] = [];
    const off = hub.subscribe((name) => seen.push(`a:${name}`));
    hub.subscribe((name) => seen.push(`b:${name}`));
    hub.publish('servers.state', []);
    off();
    hub.publish('live.values', []);
    expect(seen).toEqual(['a:servers.state', 'b:servers.state', 'b:live.values']);
  });
});
