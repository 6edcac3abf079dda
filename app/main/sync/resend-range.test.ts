/**
 * "Send again" with From after To: the station refuses it with a catalog key (sync.error.badRange)
 * that the console says in its language naming the fields as the Sync page labels them, never
 * the raw field key and the schema's English ("поле to не в том виде… (from must not be after
 * to)"). A real sync module registered on a real dispatcher, called as a signed-in engineer.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterEach, expect, it } from 'vitest';
import { Historian } from '../../../historian/index.js';
import { fixtureRaw } from '../alarms/engine/testing.js';
import { Dispatcher } from '../api/dispatcher.js';
import { internalConnection, type Session } from '../api/connection.js';
import { silentLogger } from '../log.js';
import { loadStationConfig } from '../station/config-file.js';
import { ConfigStore } from '../station/config-store.js';
import { Translator } from '../../shared/i18n/index.js';
import { SyncModule } from './module.js';
import { tempDir } from './testing/harness.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

it('From after To is refused with its catalog key, said in each language with the fields as labelled', async () => {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  const file = join(tmp.dir, 'station.yaml');
  writeFileSync(file, stringify({ ...fixtureRaw(), sync: { upstreams: [] } }));
  const config = new ConfigStore(loadStationConfig(file), { source: file });
  const h = Historian.open(join(tmp.dir, 'archive'), { flushIntervalMs: 0 });
  cleanups.push(() => h.close());
  const sync = new SyncModule({ config, dataDir: tmp.dir, logger: silentLogger(), feed: h });
  const dispatcher = new Dispatcher(silentLogger());
  const connection = internalConnection('test');
  const session: Session = { id: connection.id, user: 'ivanova', displayName: 'Ivanova', roles: ['engineer'], since: Date.now() };
  dispatcher.useSessions({ sessionOf: (c) => (c.id === connection.id ? session : null) });
  const audit: Record<string, unknown>[] = [];
  dispatcher.useAudit({ record: (entry) => void audit.push(entry as unknown as Record<string, unknown>) });
  sync.register(dispatcher);
  await sync.start();
  cleanups.push(() => sync.stop());

  const from = Date.UTC(2026, 11, 6, 10), to = Date.UTC(2026, 11, 6, 9);
  const refused = await dispatcher.dispatch('sync.resend', { upstream: null, from, to }, connection);
  expect(refused).toMatchObject({ ok: false, error: { code: 'bad_request', i18n: { key: 'sync.error.badRange' } } });
  expect(audit.at(-1)).toMatchObject({ action: 'sync.resend', result: 'refused', user: 'ivanova' });
  const key = (refused as { error: { i18n: { key: string } } }).error.i18n.key;
  for (const [locale, open, close] of [['en', '“', '”'], ['ru', '«', '»'], ['zh', '“', '”']] as const) {
    const tr = new Translator(locale);
    const said = tr.t(key);
    // The fields named as the page labels them, in this language's quotes.
    expect(said).toContain(`${open}${tr.t('sync.resend.from')}${close}`);
    expect(said).toContain(`${open}${tr.t('sync.resend.to')}${close}`);
    if (locale !== 'en') expect(said).not.toMatch(/[A-Za-z]/);
  }

  // A range in order gets past the check (no upstream here takes it: that refusal, not this one).
  const ordered = await dispatcher.dispatch('sync.resend', { upstream: null, from: to, to: from }, connection);
  expect(ordered).toMatchObject({ ok: false, error: { i18n: { key: 'sync.error.noStream' } } });
});
