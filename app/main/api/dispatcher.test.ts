import { describe, expect, it } from 'vitest';
import { Dispatcher, EventHub, UnavailableError, type Handlers } from './dispatcher.js';
import { silentLogger } from '../log.js';

const handlers: Handlers = {
  'station.info': () => ({ name: 'S', areas: [], servers: [], version: '0', simulator: false, shell: 'browser' }),
  'tags.list': () => [],
  'live.snapshot': () => {
    throw new Error('cache exploded');
  },
  'tags.archiveStats': () => {
    throw new UnavailableError('historian is not open');
  },
};

describe('dispatcher', () => {
  const d = new Dispatcher(handlers, silentLogger());

  it('answers a known call', async () => {
    expect(await d.dispatch('station.info', {})).toMatchObject({ ok: true, result: { name: 'S' } });
  });

  it('refuses unknown methods and bad params with codes', async () => {
    expect(await d.dispatch('system.shutdown', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await d.dispatch('__proto__', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    const bad = await d.dispatch('tags.list', { extra: 1 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('turns handler failures into error values', async () => {
    expect(await d.dispatch('live.snapshot', {})).toEqual({ ok: false, error: { code: 'internal', message: 'live.snapshot failed: cache exploded' } });
    expect(await d.dispatch('tags.archiveStats', {})).toEqual({ ok: false, error: { code: 'unavailable', message: 'historian is not open' } });
  });

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
