import { describe, expect, it } from 'vitest';
import { Lines } from './batch.js';
import { Unwritable, escapeMeasurement, escapeTag, formatFloat, quoteString } from './escape.js';
import { SampleEncoder, type SampleEncoding } from './samples.js';

const reason = (x: unknown) => (x instanceof Unwritable ? x.reason : null);

describe('tag escaping', () => {
  it('escapes comma, equals and space in both dialects', () => {
    for (const d of ['v1', 'v2'] as const) {
      expect(escapeTag('a,b c=d', d)).toBe('a\\,b\\ c\\=d');
      expect(escapeTag('Ёж€😀', d)).toBe('Ёж€😀');
      expect(escapeTag('say "hi"', d)).toBe('say\\ "hi"');
    }
  });

  it('v1 keeps backslashes literal and refuses a trailing one, which InfluxDB 1.x cannot read', () => {
    expect(escapeTag('C:\\tank', 'v1')).toBe('C:\\tank');
    expect(escapeTag('a\\\\b', 'v1')).toBe('a\\\\b');
    expect(escapeTag('a\\ b', 'v1')).toBe('a\\\\ b');
    expect(escapeTag('a\\,b', 'v1')).toBe('a\\\\,b');
    expect(reason(escapeTag('tank\\', 'v1'))).toMatch(/ends with a backslash/);
  });

  it('v2 doubles every backslash, so a trailing one is written too', () => {
    expect(escapeTag('C:\\tank', 'v2')).toBe('C:\\\\tank');
    expect(escapeTag('tank\\', 'v2')).toBe('tank\\\\');
    expect(escapeTag('a\\ b', 'v2')).toBe('a\\\\\\ b');
  });

  it('refuses empty values and control characters', () => {
    expect(reason(escapeTag('', 'v2'))).toBe('tag value is empty');
    expect(reason(escapeTag('a\nb', 'v1'))).toContain('U+000A');
    expect(reason(escapeTag('a\rb', 'v2'))).toContain('U+000D');
    expect(reason(escapeTag('a\tb', 'v2'))).toContain('U+0009');
    expect(reason(escapeTag('a\u007fb', 'v2'))).toContain('U+007F');
    expect(escapeTag('a\u2028b', 'v2')).toBe('a\u2028b');
  });
});

describe('measurement, strings, numbers', () => {
  it('measurement: comma and space escaped, = literal, # refused', () => {
    expect(escapeMeasurement('tank farm,north', 'v2')).toBe('tank\\ farm\\,north');
    expect(escapeMeasurement('a=b', 'v1')).toBe('a=b');
    expect(reason(escapeMeasurement('#tf', 'v1'))).toMatch(/comment/);
  });

  it('string fields: quote and backslash escaped, line breaks refused', () => {
    expect(quoteString('say "hi" C:\\x\\')).toBe('"say \\"hi\\" C:\\\\x\\\\"');
    expect(reason(quoteString('a\nb'))).toMatch(/line break/);
    expect(reason(quoteString('a\rb'))).toMatch(/line break/);
  });

  it('floats: shortest round-trip text; NaN and infinities refused', () => {
    expect(formatFloat(1.5)).toBe('1.5');
    expect(formatFloat(-0)).toBe('0');
    expect(formatFloat(1e21)).toBe('1e+21');
    expect(formatFloat(5e-324)).toBe('5e-324');
    expect(Number(formatFloat(0.1 + 0.2))).toBe(0.1 + 0.2);
    for (const v of [NaN, Infinity, -Infinity]) expect(reason(formatFloat(v))).toMatch(/NaN or infinity/);
  });
});

describe('sample lines', () => {
  const influx: SampleEncoding = { measurement: 'tank_farm', site: 'North', dialect: 'v1', statusName: true, textAs: 'field' };
  const vm: SampleEncoding = { measurement: 'tank_farm', site: 'North', dialect: 'v2', statusName: false, textAs: 'tag' };
  const info = { area: 'Area1', unit: 'm³' };
  const encode = (enc: SampleEncoding, kind: 'analog' | 'discrete' | 'text', values: (number | boolean | string)[], status: number[] = values.map(() => 0)) => {
    const out = new Lines();
    new SampleEncoder(enc).encode({ tag: 'TK 101.Level', kind, t: values.map((_, i) => 1_700_000_000_000 + i), values, status }, () => info, out);
    return out;
  };

  it('analog: float value, status code and name, ms time', () => {
    const out = encode(influx, 'analog', [1.25, NaN], [0, 0x808c0000]);
    expect(out.text).toEqual([
      'tank_farm,area=Area1,site=North,tag=TK\\ 101.Level,unit=m³ value=1.25,status=0i,status_name="Good" 1700000000000',
      // A bad sample archived without a value: its status alone.
      'tank_farm,area=Area1,site=North,tag=TK\\ 101.Level,unit=m³ status=2156658688i,status_name="BadSensorFailure" 1700000000001',
    ]);
  });

  it('refuses NaN or infinity with a usable status, with the reason', () => {
    const out = encode(influx, 'analog', [Infinity, NaN], [0, 0x40000000]);
    expect(out.count).toBe(0);
    expect(out.refused.map((r) => r.reason)).toEqual([
      'value Infinity with status Good cannot be written: the line protocol has no NaN or infinity',
      'value NaN with status Uncertain cannot be written: the line protocol has no NaN or infinity',
    ]);
    expect(JSON.parse(out.refused[0]!.record!)).toEqual({ tag: 'TK 101.Level', t: 1_700_000_000_000, value: 'Infinity', status: 0 });
  });

  it('discrete as an integer state; text as a field, or as a tag for VictoriaMetrics', () => {
    expect(encode(vm, 'discrete', [true, false, 3]).text.map((l) => l.split(' ').at(-2))).toEqual(['state=1i,status=0i', 'state=0i,status=0i', 'state=3i,status=0i']);
    expect(encode(influx, 'text', ['say "hi"']).text[0]).toContain(' text="say \\"hi\\"",status=0i,status_name="Good" ');
    expect(encode(vm, 'text', ['Methanol 99%', '']).text).toEqual([
      'tank_farm,area=Area1,site=North,tag=TK\\ 101.Level,unit=m³,text=Methanol\\ 99% status=0i 1700000000000',
      'tank_farm,area=Area1,site=North,tag=TK\\ 101.Level,unit=m³ status=0i 1700000000001',
    ]);
  });

  it('refuses a whole tag whose name cannot be written, and samples the upstream would drop', () => {
    const out = new Lines();
    new SampleEncoder(influx).encode({ tag: 'bad\\', kind: 'analog', t: [1, 2], values: [1, 2], status: [0, 0] }, () => info, out);
    expect(out.count).toBe(0);
    expect(out.refused).toHaveLength(2);
    const future = new SampleEncoder({ ...vm, acceptTime: (t) => (t > 10 ? 'more than 2 days ahead' : null) });
    const o2 = new Lines();
    future.encode({ tag: 'x', kind: 'analog', t: [5, 50], values: [1, 2], status: [0, 0] }, () => ({ area: null, unit: '' }), o2);
    expect(o2.text).toEqual(['tank_farm,site=North,tag=x value=1,status=0i 5']);
    expect(o2.refused[0]!.reason).toBe('more than 2 days ahead');
  });
});
