/**
 * The escaping against the real parsers: every awkward tag name, unit and
 * text written through the encoder reads back from InfluxDB 1.6.7 and
 * VictoriaMetrics exactly as it was; what the encoder refuses, the server
 * really would have refused or mangled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InfluxServer, VictoriaServer } from '../testing/servers.js';
import { Lines } from './batch.js';
import { SampleEncoder } from './samples.js';

/** OPC UA BadCommunicationError, BadSensorFailure: what a sample without a value carries. */
const BAD_COMM = 0x80050000, BAD_SENSOR = 0x808c0000;

const NAMES = [
  'plain', 'with space', 'a,comma', 'a=equals', 'say "hi"', 'C:\\tank', 'two\\\\back', 'Ёж€😀', 'a\u2028b',
  'mid\\ space', 'bs\\,comma', 'bs\\=eq', 'dbl\\\\ sp', 'trail\\', '=lead', ',lead', ' lead', 'x,y=z w',
];
const UNITS = ['m³/h', '°C', '% LEL', 'kg,m'];
const TEXTS = ['Methanol 99%', 'say "hi"', 'C:\\path\\', 'tab\there', '汉字', ''];
const now = Date.now() - 60_000;

function encode(enc: SampleEncoder, names: string[]): Lines {
  const out = new Lines();
  names.forEach((tag, i) => {
    enc.encode({ tag, kind: 'analog', t: [now], values: [i + 0.5], status: [0] }, () => ({ area: 'Area 1', unit: UNITS[i % UNITS.length]! }), out);
  });
  return out;
}

async function post(url: string, lines: string[]): Promise<number> {
  return (await fetch(url, { method: 'POST', body: lines.join('\n') + '\n' })).status;
}

describe('escaping against InfluxDB 1.6.7', () => {
  let influx: InfluxServer;
  beforeAll(async () => {
    influx = await InfluxServer.launch();
    await influx.createDatabase('t');
  });
  afterAll(() => influx?.dispose());

  it('tag names and units read back exactly; the refused ones are the ones it cannot read', async () => {
    const out = encode(new SampleEncoder({ measurement: 'tf', site: 'North site', dialect: 'v1', statusName: true, textAs: 'field' }), NAMES);
    expect(await post(`${influx.url}/write?db=t&precision=ms`, out.text)).toBe(204);
    const res = await influx.query('SELECT * FROM tf GROUP BY *', 't');
    const got = res.series!.map((s) => ({ tag: s.tags!.tag, unit: s.tags!.unit, area: s.tags!.area, site: s.tags!.site, value: s.values[0]![s.columns.indexOf('value')] as number }));
    const refused = out.refused.map((r) => r.key);
    expect(refused).toEqual(['trail\\']);
    const expected = NAMES.map((tag, i) => ({ tag, unit: UNITS[i % UNITS.length], area: 'Area 1', site: 'North site', value: i + 0.5 }))
      .filter((x) => !refused.includes(x.tag));
    expect(got.sort((a, b) => a.value - b.value)).toEqual(expected);
    // What was refused, InfluxDB refuses or mangles when written the obvious way.
    for (const [i, name] of refused.entries()) {
      const naive = `naive${i},tag=${name.replace(/[ ,=]/g, '\\$&')} value=1 ${now}`;
      const status = await post(`${influx.url}/write?db=t&precision=ms`, [naive]);
      if (status === 204) {
        const back = await influx.query(`SHOW TAG VALUES FROM naive${i} WITH KEY = "tag"`, 't');
        expect(back.series![0]!.values.map((v) => v[1])).not.toContain(name);
      } else expect(status).toBe(400);
    }
  });

  it('text values read back exactly', async () => {
    const enc = new SampleEncoder({ measurement: 'tx', site: 'N', dialect: 'v1', statusName: true, textAs: 'field' });
    const out = new Lines();
    enc.encode({ tag: 'T', kind: 'text', t: TEXTS.map((_, i) => now + i), values: TEXTS, status: TEXTS.map(() => 0) }, () => ({ area: null, unit: '' }), out);
    expect(await post(`${influx.url}/write?db=t&precision=ms`, out.text)).toBe(204);
    const res = await influx.query('SELECT "text", status_name FROM tx', 't');
    expect(res.series![0]!.values.map((v) => v[1])).toEqual(TEXTS);
    expect(res.series![0]!.values.map((v) => v[0])).toEqual(TEXTS.map((_, i) => now + i));
  });

  it('a bad discrete or text sample (its value a placeholder: false, "") is stored with its status only', async () => {
    const enc = new SampleEncoder({ measurement: 'bad1', site: 'N', dialect: 'v1', statusName: true, textAs: 'field' });
    const out = new Lines();
    const none = () => ({ area: null, unit: '' });
    enc.encode({ tag: 'P', kind: 'discrete', t: [now, now + 1], values: [false, true], status: [BAD_COMM, 0] }, none, out);
    enc.encode({ tag: 'T', kind: 'text', t: [now, now + 1], values: ['', 'Methanol'], status: [BAD_SENSOR, 0] }, none, out);
    expect(out.refused).toEqual([]);
    expect(await post(`${influx.url}/write?db=t&precision=ms`, out.text)).toBe(204);
    const res = await influx.query('SELECT "state", "text", status, status_name FROM bad1 GROUP BY "tag"', 't');
    const got = Object.fromEntries(res.series!.map((x) => [x.tags!.tag, x.values]));
    expect(got).toEqual({
      P: [[now, null, null, BAD_COMM, 'BadCommunicationError'], [now + 1, 1, null, 0, 'Good']],
      T: [[now, null, null, BAD_SENSOR, 'BadSensorFailure'], [now + 1, null, 'Methanol', 0, 'Good']],
    });
  });
});

describe('escaping against VictoriaMetrics', () => {
  let vm: VictoriaServer;
  beforeAll(async () => { vm = await VictoriaServer.launch(); });
  afterAll(() => vm?.dispose());

  it('every name reads back exactly, a trailing backslash included', async () => {
    const out = encode(new SampleEncoder({ measurement: 'tf', site: 'North site', dialect: 'v2', statusName: false, textAs: 'tag' }), NAMES);
    expect(out.refused).toEqual([]);
    expect(await post(`${vm.url}/write?precision=ms`, out.text)).toBe(204);
    const series = await vm.export('{__name__="tf_value"}');
    const got = series.map((s) => ({ tag: s.metric.tag, unit: s.metric.unit, area: s.metric.area, value: s.values[0], t: s.timestamps[0] }));
    expect(got.sort((a, b) => a.value! - b.value!)).toEqual(NAMES.map((tag, i) => ({ tag, unit: UNITS[i % UNITS.length], area: 'Area 1', value: i + 0.5, t: now })));
  });

  it('text values travel as the tag `text`', async () => {
    const enc = new SampleEncoder({ measurement: 'tx', site: 'N', dialect: 'v2', statusName: false, textAs: 'tag' });
    const out = new Lines();
    enc.encode({ tag: 'T', kind: 'text', t: TEXTS.map((_, i) => now + i), values: TEXTS, status: TEXTS.map(() => 0) }, () => ({ area: null, unit: '' }), out);
    expect(out.refused.map((r) => r.reason)).toEqual(['text value "tab\\there" holds control character U+0009']);
    expect(await post(`${vm.url}/write?precision=ms`, out.text)).toBe(204);
    const series = await vm.export('{__name__="tx_status"}');
    const got = series.flatMap((s) => s.timestamps.map((t) => ({ t, text: s.metric.text ?? '' }))).sort((a, b) => a.t - b.t);
    expect(got).toEqual(TEXTS.map((text, i) => ({ t: now + i, text })).filter((x) => x.text !== 'tab\there'));
  });

  it('a bad discrete or text sample is stored with its status only: no state series, no `text` label (as an analog one)', async () => {
    const enc = new SampleEncoder({ measurement: 'bad2', site: 'N', dialect: 'v2', statusName: false, textAs: 'tag' });
    const out = new Lines();
    const none = () => ({ area: null, unit: '' });
    enc.encode({ tag: 'A', kind: 'analog', t: [now], values: [NaN], status: [BAD_SENSOR] }, none, out);
    enc.encode({ tag: 'P', kind: 'discrete', t: [now, now + 1], values: [false, true], status: [BAD_COMM, 0] }, none, out);
    enc.encode({ tag: 'T', kind: 'text', t: [now, now + 1], values: ['', 'Methanol'], status: [BAD_SENSOR, 0] }, none, out);
    expect(out.refused).toEqual([]);
    expect(await post(`${vm.url}/write?precision=ms`, out.text)).toBe(204);
    const series = await vm.export('{__name__=~"bad2_.*"}');
    const got = series.map((x) => ({ ...x.metric, values: x.values, timestamps: x.timestamps }) as Record<string, unknown>)
      .sort((a, b) => `${a.__name__}${a.tag}${a.text ?? ''}`.localeCompare(`${b.__name__}${b.tag}${b.text ?? ''}`));
    expect(got).toEqual([
      { __name__: 'bad2_state', site: 'N', tag: 'P', values: [1], timestamps: [now + 1] },
      { __name__: 'bad2_status', site: 'N', tag: 'A', values: [BAD_SENSOR], timestamps: [now] },
      { __name__: 'bad2_status', site: 'N', tag: 'P', values: [BAD_COMM, 0], timestamps: [now, now + 1] },
      { __name__: 'bad2_status', site: 'N', tag: 'T', values: [BAD_SENSOR], timestamps: [now] },
      { __name__: 'bad2_status', site: 'N', tag: 'T', text: 'Methanol', values: [0], timestamps: [now + 1] },
    ]);
  });

  it('a text longer than VictoriaMetrics keeps as a label value (16 KiB) is quarantined, not stored cut short', async () => {
    const enc = new SampleEncoder({ measurement: 'long', site: 'N', dialect: 'v2', statusName: false, textAs: 'tag' });
    const out = new Lines();
    const longest = 'x'.repeat(16_384), over = 'y'.repeat(16_385), wide = '€'.repeat(5462); // 16,386 bytes in UTF-8
    enc.encode({ tag: 'T', kind: 'text', t: [now, now + 1, now + 2], values: [longest, over, wide], status: [0, 0, 0] }, () => ({ area: null, unit: '' }), out);
    expect(out.refused.map((r) => [r.t, r.reason])).toEqual([
      [now + 1, 'text value of 16385 bytes is longer than 16384, the longest label value VictoriaMetrics keeps (it would store it cut short)'],
      [now + 2, 'text value of 16386 bytes is longer than 16384, the longest label value VictoriaMetrics keeps (it would store it cut short)'],
    ]);
    expect(await post(`${vm.url}/write?precision=ms`, out.text)).toBe(204);
    const series = await vm.export('{__name__="long_status"}');
    expect(series.map((x) => [x.metric.text, x.timestamps])).toEqual([[longest, [now]]]);
    // What it does with one longer: stored, cut to 16 KiB, with a 204.
    expect(await post(`${vm.url}/write?precision=ms`, [`cut,text=${over} status=0i ${now}`])).toBe(204);
    const cut = await vm.export('{__name__="cut_status"}');
    expect(cut.map((x) => x.metric.text)).toEqual(['y'.repeat(16_384)]);
  });
});
