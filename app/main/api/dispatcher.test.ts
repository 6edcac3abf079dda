import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiFailure, Dispatcher, EventHub, UnavailableError, type CallContext, type Handlers } from './dispatcher.js';
import { internalConnection, type Session, type Connection } from './connection.js';
import type { AuditRecord } from './audit-sink.js';
import type { RequestDef } from '../../shared/api.js';
import { silentLogger } from '../log.js';
import { AuditTrail } from '../accounts/audit/trail.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const conn = internalConnection('test');

describe('dispatcher', () => {
  const d = new Dispatcher(silentLogger());
  d.register('test', {
    'station.info': () => ({ name: 'S', areas: [], servers: [], version: '0', simulator: false, shell: 'browser', locale: 'en', restartedAfterFault: null }),
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
    expect(await d.dispatch('system.shutdown', {}, conn)).toMatchObject({ ok: false, error: { code: 'unknown_method', i18n: { key: 'error.unknownMethod' } } });
    expect(await d.dispatch('__proto__', {}, conn)).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    const bad = await d.dispatch('tags.list', { extra: 1 }, conn);
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('a refused parameter comes with a message key naming the field, for the console to say in its language', async () => {
    const bad = await d.dispatch('tags.list', { extra: 1 }, conn);
    expect(bad.ok).toBe(false);
    const error = (bad as { error: { i18n?: { key: string; params: Record<string, unknown> } } }).error;
    expect(error.i18n?.key).toBe('error.badRequest');
    expect(error.i18n?.params).toMatchObject({ count: 1 });
    expect(String(error.i18n?.params.detail)).toContain('extra');
    const { Translator } = await import('../../shared/i18n/index.js');
    expect(new Translator('ru').t('error.badRequest', { fields: 'minutes', count: 1, detail: 'x' })).toBe('Станция не приняла запрос: поле minutes не в том виде, какой она ожидает (x).');
  });

  it('turns handler failures into error values', async () => {
    expect(await d.dispatch('live.snapshot', {}, conn)).toEqual({ ok: false, error: { code: 'internal', message: 'live.snapshot failed: cache exploded', i18n: { key: 'error.internal' } } });
    expect(await d.dispatch('tags.archiveStats', {}, conn)).toEqual({ ok: false, error: { code: 'unavailable', message: 'historian is not open', i18n: { key: 'error.unavailable' } } });
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

describe('dispatcher when what is around the handler fails', () => {
  const defs: Record<string, RequestDef> = {
    'limit.set': { params: z.object({ value: z.number() }).strict(), result: z.number(), permission: 'alarms.configure' },
    'plant.view': { params: z.object({}).strict(), result: z.number(), permission: null },
  };
  const engineer: Session = { id: 's2', user: 'sidorov', displayName: 'I. Sidorov', roles: ['engineer'], since: 0 };

  it('answers an error value, never an exception, when the sessions throw', async () => {
    const d = new Dispatcher(silentLogger(), defs);
    d.useSessions({ sessionOf: () => { throw new Error('accounts file unreadable'); } });
    d.register('test', { 'plant.view': () => 1 } as unknown as Partial<Handlers>);
    expect(await d.dispatch('plant.view', {}, conn)).toMatchObject({ ok: false, error: { code: 'internal', i18n: { key: 'error.internal' } } });
  });

  it('refuses an action before it runs once an audit entry could not be written, until one is written again', async () => {
    const written: AuditRecord[] = [];
    let failing = false;
    let ran = 0;
    const d = new Dispatcher(silentLogger(), defs);
    d.useSessions({ sessionOf: () => engineer });
    d.useAudit({ record: (e) => { if (failing) throw new Error('SQLITE_FULL: database or disk is full'); written.push(e); } });
    d.register('test', { 'limit.set': (p: { value: number }) => (ran++, p.value) } as unknown as Partial<Handlers>);

    expect(await d.dispatch('limit.set', { value: 1 }, conn)).toEqual({ ok: true, result: 1 });
    failing = true;
    // Its entry is written after it ran: it happened, and the answer says so.
    expect(await d.dispatch('limit.set', { value: 2 }, conn)).toEqual({ ok: true, result: 2 });
    // The next one is not done: nothing would record it.
    expect(await d.dispatch('limit.set', { value: 3 }, conn)).toMatchObject({ ok: false, error: { code: 'unavailable', i18n: { key: 'error.auditUnavailable' } } });
    expect(ran).toBe(2);
    failing = false;
    expect(await d.dispatch('limit.set', { value: 4 }, conn)).toEqual({ ok: true, result: 4 });
    expect(ran).toBe(3);
    expect(written.map((e) => `${e.action}:${e.result}`)).toEqual(['limit.set:ok', 'audit.resumed:ok', 'limit.set:ok']);
    expect(written[1]!.detail).toContain('SQLITE_FULL');
  });

  it('refuses an action before it runs when the trail says it cannot take an entry', async () => {
    let ran = 0;
    const d = new Dispatcher(silentLogger(), defs);
    d.useSessions({ sessionOf: () => engineer });
    const written: AuditRecord[] = [];
    d.useAudit({ record: (e) => void written.push(e), assertWritable: () => { throw new Error('audit.sqlite: the audit trail file is gone'); } });
    d.register('test', { 'limit.set': () => ++ran } as unknown as Partial<Handlers>);
    expect(await d.dispatch('limit.set', { value: 1 }, conn)).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(ran).toBe(0);
  });
});

describe('dispatcher refusals in a flood', () => {
  const defs: Record<string, RequestDef> = {
    'limit.set': { params: z.object({ value: z.number() }).strict(), result: z.number(), permission: 'alarms.configure' },
    'alarm.ack': { params: z.object({}).strict(), result: z.boolean(), permission: 'alarms.acknowledge' },
    'account.signIn': { params: z.object({}).strict(), result: z.boolean(), permission: null, audit: true },
  };

  it('writes the first of a kind at once, and the repeats within the window as one entry with their count', async () => {
    const written: AuditRecord[] = [];
    const d = new Dispatcher(silentLogger(), defs, 50);
    d.useAudit({ record: (e) => void written.push(e) });
    d.register('test', {
      'limit.set': () => 1,
      'alarm.ack': () => true,
      'account.signIn': () => { throw new ApiFailure('conflict', 'a sign-in is being checked already', { key: 'busy' }, true); },
    } as unknown as Partial<Handlers>);
    const flood = internalConnection('flood');
    for (let i = 0; i < 5; i++) await d.dispatch('limit.set', { value: i }, flood);
    await d.dispatch('alarm.ack', {}, flood);
    for (let i = 0; i < 3; i++) await d.dispatch('account.signIn', {}, flood);
    expect(written.map((e) => `${e.action}:${e.result}`)).toEqual(['limit.set:refused', 'alarm.ack:refused', 'account.signIn:refused']);

    await expect.poll(() => written.length).toBe(5);
    const counts = Object.fromEntries(written.slice(3).map((e) => [e.action, e.detail]));
    expect(counts['limit.set']).toMatch(/^4 more refused like this .*sign in first/);
    expect(counts['account.signIn']).toMatch(/^2 more refused like this .*a sign-in is being checked already/);
    // The window over, the next refusal is written at once again.
    await d.dispatch('limit.set', { value: 9 }, flood);
    expect(written).toHaveLength(6);
  });
});

describe('dispatcher: what a refused or failed call\'s entry says', () => {
  // A handler that says what it did before the checks that may refuse it (the password reset did).
  const defs: Record<string, RequestDef> = {
    'thing.reset': { params: z.object({ how: z.enum(['ok', 'refuse', 'crash', 'busy', 'told']) }).strict(), result: z.boolean(), permission: 'accounts.manage' },
  };
  const admin: Session = { id: 's3', user: 'chief', displayName: 'Chief', roles: ['administrator'], since: 0 };

  it('is why it was refused or failed, never a detail the handler set before; a call that succeeded keeps its own', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'vigil-dispatch-'));
    const trail = AuditTrail.open(tmp);
    try {
      const d = new Dispatcher(silentLogger(), defs, 50);
      d.useSessions({ sessionOf: () => admin });
      d.useAudit(trail);
      d.register('test', {
        'thing.reset': ({ how }: { how: string }, ctx: CallContext) => {
          ctx.setAudit({ target: 'ivanova', detail: 'new password set' });
          if (how === 'refuse') throw new ApiFailure('bad_request', 'the password is too short', { key: 'short' });
          if (how === 'crash') throw new Error('disk I/O error');
          if (how === 'busy') throw new ApiFailure('conflict', 'one at a time', { key: 'busy' }, true);
          if (how === 'told') throw new ApiFailure('forbidden', 'wrong user name or password', { key: 'wrong' }, false, 'wrong password (3 in a row)');
          return true;
        },
      } as unknown as Partial<Handlers>);
      for (const how of ['refuse', 'crash', 'busy', 'told', 'ok']) await d.dispatch('thing.reset', { how }, internalConnection(how));
      expect(trail.read(0, 100).map((e) => [e.result, e.target, e.detail])).toEqual([
        ['refused', 'ivanova', 'the password is too short'],
        ['failed', 'ivanova', 'disk I/O error'],
        ['refused', 'ivanova', 'one at a time'],
        ['refused', 'ivanova', 'wrong password (3 in a row)'],
        ['ok', 'ivanova', 'new password set'],
      ]);
    } finally {
      trail.close();
      rmSync(tmp, { recursive: true, force: true });
    }
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
