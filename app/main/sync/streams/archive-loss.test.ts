/**
 * What the archive says it no longer has, as the Sync page says it: a real historian whose past
 * volumes are detached, dropped by retention and missing, read by the real samples stream. The
 * English rendering must be the archive's own text (its `reason`, an independent source); the
 * Russian and Chinese renderings are written out here by hand and hold no English phrase of it.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../../../../historian/index.js';
import { formatCursor } from '../../../../historian/read/change-cursor.js';
import { Good } from '../../../../historian/status.js';
import { DAY, T0, tagConfig, tempDir } from '../../../../historian/store/testing.js';
import { Formats, Translator, type Locale } from '../../../shared/i18n/index.js';
import { english, renderText, type SyncText } from '../../../shared/sync-text.js';
import { Lines } from '../line-protocol/batch.js';
import { SampleEncoder } from '../line-protocol/samples.js';
import { SamplesStream } from './samples.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

const NOW = T0 + 5 * DAY + 3_600_000;
const [DAY0, DAY1, DAY2] = ['day-2024-03-01.sqlite', 'day-2024-03-02.sqlite', 'day-2024-03-03.sqlite'];

/** As the Sync page says it (app/renderer/lib/sync-text.ts), times in UTC. */
function said(text: SyncText, locale: Locale): string {
  const tr = new Translator(locale);
  const fmt = new Formats(locale, 'UTC');
  return renderText(text, (key, params) => tr.t(key, params), { dateTime: (ms) => fmt.dateTime(ms), list: (items) => fmt.list(items) });
}

/** English left in a translation: words of the archive's texts (the historian command an engineer types aside). */
function englishIn(s: string): string[] {
  const words = s.replace(/npm run historian -- volumes detach \S+ --data \S+/g, '');
  return ['changes', 'archive', 'volume', 'detached', 'dropped', 'retention', 'older than', 'beyond', 'cannot', 'missing', 'passed over',
    'Reads', 'Restore', 'backup', 'cursor', 'restored', 'beginning', 'sending again'].filter((w) => new RegExp(`\\b${w}\\b`, 'i').test(words));
}

function stream(h: Historian): SamplesStream {
  return new SamplesStream(h, new SampleEncoder({ measurement: 'm', site: 's', dialect: 'v1', statusName: false, textAs: 'field' }), () => null);
}

async function archive(): Promise<{ h: Historian; dir: string }> {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  const first = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, now: () => NOW });
  first.defineTag(tagConfig('A'), T0);
  for (let d = 0; d < 4; d++) {
    first.append('A', [0, 1, 2].map((k) => ({ t: T0 + d * DAY + k * 1000, value: d * 10 + k, status: Good })));
    first.flush();
  }
  await first.close();
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, now: () => NOW });
  cleanups.push(() => h.close());
  return { h, dir: tmp.dir };
}

describe('the archive\'s missing volumes on the Sync page', () => {
  it('detached, dropped by retention and a missing file: said wholly in Russian and Chinese, in English as the archive says it', async () => {
    const { h, dir } = await archive();
    rmSync(join(dir, 'volumes', DAY2)); // deleted behind the archive's back
    h.detachVolume(h.volumes().find((v) => v.file === DAY0)!.id);
    expect(h.applyRetention({ maxAgeDays: 3, maxVolumes: 10 }, NOW).map((v) => v.file)).toEqual([DAY0, DAY1]);

    const read = stream(h).read(null, 10_000, null, new Lines());
    const path = join(dir, 'volumes', DAY2);
    const retention = 'dropped by retention (older than 3 days or beyond the newest 10 volumes)';
    const reason = `changes not read yet are no longer in the archive (${DAY0}: detached; ${DAY0}: ${retention}; ${DAY1}: ${retention}); ` +
      `changes in volumes whose files cannot be read are passed over (volume ${DAY2} cannot be read: ${path}: the file is missing. ` +
      'Reads leave out its data (2024-03-03T00:00:00.000Z to 2024-03-04T00:00:00.000Z) and nothing is written to it; the file is left as it is. ' +
      `Restore it from a backup, or take it out of the archive: npm run historian -- volumes detach ${DAY2} --data ${dir})`;
    expect(read.lost).toBe(`${reason} [${DAY0}, ${DAY1}, ${DAY2}]`);
    expect(english(read.lostText!)).toBe(read.lost);
    const holes = read.holes!.map((x) => ('name' in x ? x : null)!);
    expect(holes.map((x) => x.detail)).toEqual([DAY0, DAY1, DAY2].map((f) => `${reason} [${f}]`));
    expect(holes.map((x) => english(x.text!))).toEqual(holes.map((x) => x.detail));

    const retentionRu = 'том удалён по сроку хранения (старше 3 дней или сверх 10 последних томов)';
    const ru = `ещё не прочитанных изменений больше нет в архиве (${DAY0}: том отключён, ${DAY0}: ${retentionRu} и ${DAY1}: ${retentionRu}) и ` +
      `изменения в томах, файлы которых не читаются, пропущены (том ${DAY2} не читается: ${path}: файла нет. ` +
      'Чтение пропускает его данные (с 03.03.2024, 00:00:00 по 04.03.2024, 00:00:00), и в него ничего не пишется; файл оставлен как есть. ' +
      `Восстановите его из резервной копии или исключите из архива: npm run historian -- volumes detach ${DAY2} --data ${dir}) [${DAY1}]`;
    expect(said(holes[1]!.text!, 'ru')).toBe(ru);
    const retentionZh = '卷已按保留策略删除（早于 3天或超出最新的 10个卷）';
    const zh = `尚未读取的变更已不在归档中（${DAY0}：卷已卸离、${DAY0}：${retentionZh}和${DAY1}：${retentionZh}）和` +
      `文件无法读取的卷中的变更已跳过（卷 ${DAY2} 无法读取：${path}：文件不存在。` +
      '读取时跳过其数据（2024/03/03 00:00:00 至 2024/03/04 00:00:00），也不再向其写入；文件保持原样。' +
      `请从备份恢复，或将其移出归档：npm run historian -- volumes detach ${DAY2} --data ${dir}） [${DAY1}]`;
    expect(said(holes[1]!.text!, 'zh')).toBe(zh);
    for (const locale of ['ru', 'zh'] as const) for (const x of holes) expect(englishIn(said(x.text!, locale))).toEqual([]);
  });

  it('a volume dropped by age alone, one by count alone', async () => {
    const { h } = await archive();
    h.applyRetention({ maxAgeDays: 3.5 }, NOW); // day 0 (ended 4 d 1 h before)
    const byAge = stream(h).read(null, 10_000, null, new Lines());
    expect(english(byAge.lostText!)).toBe(byAge.lost);
    expect(said(byAge.lostText!, 'ru')).toBe(`ещё не прочитанных изменений больше нет в архиве (${DAY0}: том удалён по сроку хранения (старше 3,5 дня)) [${DAY0}]`);
    const other = (await archive()).h;
    other.applyRetention({ maxVolumes: 3 }, NOW); // day 0 (of days 0-3)
    const byCount = stream(other).read(null, 10_000, null, new Lines());
    expect(english(byCount.lostText!)).toBe(byCount.lost);
    expect(said(byCount.lostText!, 'zh')).toBe(`尚未读取的变更已不在归档中（${DAY0}：卷已按保留策略删除（超出最新的 3个卷）） [${DAY0}]`);
    for (const r of [byAge, byCount]) for (const locale of ['ru', 'zh'] as const) expect(englishIn(said(r.lostText!, locale))).toEqual([]);
  });

  it('a cursor past the archive\'s head (restored from an older copy)', async () => {
    const { h } = await archive();
    const read = stream(h).read(formatCursor({ a: 1000, g: 0, pass: null }), 10_000, null, new Lines());
    expect(read.restarted).toBe(true);
    expect(english(read.lostText!)).toBe(read.lost);
    expect(said(read.lostText!, 'ru')).toMatch(/^курсор прочитал до записи 1000, а последняя запись архива — \d+: архив восстановлен из более старой копии или заменён; его изменения отправляются повторно с начала \[\]$/);
    expect(said(read.lostText!, 'zh')).toMatch(/^读取游标已读到第1000次写入，而归档最新的写入为第\d+次：归档已从较旧的副本恢复或被替换；其变更从头重新发送 \[\]$/);
    for (const locale of ['ru', 'zh'] as const) expect(englishIn(said(read.lostText!, locale))).toEqual([]);
  });
});
