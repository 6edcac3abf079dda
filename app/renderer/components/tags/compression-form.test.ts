import { describe, expect, it } from 'vitest';
import { compressionOfDraft, draftOf, type CompressionDraft } from './compression-form.js';

const ru = (v: number) => String(v).replace('.', ',');
const en = (v: number) => String(v);
const draft = (over: Partial<CompressionDraft>): CompressionDraft => ({
  choice: 'deadband', deviation: '', percentOfSpan: false, minIntervalS: '', maxIntervalS: '', exceptionDeviation: '', ...over,
});
const stationDefault = { kind: 'deadband', deviation: 0.1, percentOfSpan: true } as const;

describe('the Edit compression form', () => {
  it('opens on the tag\'s own setting, its intervals in seconds and its numbers as the console writes them', () => {
    const own = { kind: 'swinging-door', deviation: 0.5, percentOfSpan: true, minIntervalMs: 1500, maxIntervalMs: 600000, exceptionDeviation: 0.25 } as const;
    expect(draftOf({ own, stationDefault, range: [0, 20] }, ru)).toEqual({
      choice: 'swinging-door', deviation: '0,5', percentOfSpan: true, minIntervalS: '1,5', maxIntervalS: '600', exceptionDeviation: '0,25',
    });
  });

  it('opens on the station default when the tag has none of its own; no % of span without a range', () => {
    expect(draftOf({ own: null, stationDefault, range: [0, 20] }, en)).toMatchObject({ choice: 'default', deviation: '0.1', percentOfSpan: true });
    expect(draftOf({ own: null, stationDefault, range: null }, en)).toMatchObject({ choice: 'default', percentOfSpan: false });
  });

  it('gives back what the station config takes: seconds as whole ms, a decimal comma read in Russian, empty fields left out', () => {
    expect(compressionOfDraft(draft({ deviation: '1,5', maxIntervalS: '60' }), true)).toEqual({ ok: true, compression: { kind: 'deadband', deviation: 1.5, maxIntervalMs: 60000 } });
    expect(compressionOfDraft(draft({ choice: 'swinging-door', deviation: '0.5', percentOfSpan: true, minIntervalS: '0.25', exceptionDeviation: '0.1' }), false)).toEqual({
      ok: true, compression: { kind: 'swinging-door', deviation: 0.5, percentOfSpan: true, minIntervalMs: 250, exceptionDeviation: 0.1 },
    });
    // Fields another kind shows are not sent.
    expect(compressionOfDraft(draft({ deviation: '2', minIntervalS: '5', exceptionDeviation: '1' }), false)).toEqual({ ok: true, compression: { kind: 'deadband', deviation: 2 } });
    expect(compressionOfDraft(draft({ choice: 'none', deviation: 'x' }), false)).toEqual({ ok: true, compression: { kind: 'none' } });
    expect(compressionOfDraft(draft({ choice: 'default' }), false)).toEqual({ ok: true, compression: null });
  });

  it('names every field that is not a number the config takes', () => {
    const r = compressionOfDraft(draft({ choice: 'swinging-door', deviation: '', minIntervalS: '-1', maxIntervalS: '0', exceptionDeviation: '10,5' }), false);
    expect(r).toEqual({
      ok: false,
      problems: [
        { field: 'deviation', key: 'tags.compressionEdit.missing', text: '' },
        { field: 'minIntervalS', key: 'tags.compressionEdit.badNumber', text: '-1' },
        { field: 'maxIntervalS', key: 'tags.compressionEdit.notPositive', text: '0' },
        // A comma that does not group thousands is no number in English.
        { field: 'exceptionDeviation', key: 'tags.compressionEdit.badNumber', text: '10,5' },
      ],
    });
    expect(compressionOfDraft(draft({ deviation: '1', maxIntervalS: '0.0001' }), false)).toMatchObject({ ok: false, problems: [{ field: 'maxIntervalS', key: 'tags.compressionEdit.notPositive' }] });
  });
});
