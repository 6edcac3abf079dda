/**
 * How a Variant becomes a tag's value: each kind takes the types that fit it,
 * anything else (an array, a String read as analog, NaN or ±Infinity) keeps its
 * time with a bad status and no value; a good status or UncertainInitialValue with no value is waiting, any other uncertain one with none Bad.
 * Expected codes from node-opcua's StatusCodes.
 */
import { describe, expect, it } from 'vitest';
import { DataType, LocalizedText, StatusCodes, Variant, VariantArrayType } from 'node-opcua';
import { convert } from './sample.js';
import { isNoLiveData } from '../../../historian/status.js';
import { fits, refusalFor, suggestedKind, type NodeType } from './data-types.js';

const v = (dataType: DataType, value: unknown, arrayType = VariantArrayType.Scalar) => new Variant({ dataType, value, arrayType });
const good = StatusCodes.Good.value;
const code = (c: { value: number }) => c.value >>> 0;

describe('values from OPC UA', () => {
  it('keeps numbers, booleans and texts as their kinds hold them', () => {
    expect(convert('analog', v(DataType.Double, 1.25), good)).toEqual({ value: 1.25, status: 0 });
    expect(convert('analog', v(DataType.Float, 0.5), good)).toEqual({ value: 0.5, status: 0 });
    expect(convert('analog', v(DataType.SByte, -5), good)).toEqual({ value: -5, status: 0 });
    expect(convert('discrete', v(DataType.Boolean, false), good)).toEqual({ value: false, status: 0 });
    expect(convert('discrete', v(DataType.UInt16, 3), good)).toEqual({ value: 3, status: 0 });
    expect(convert('text', v(DataType.String, 'B-7'), good)).toEqual({ value: 'B-7', status: 0 });
    expect(convert('text', v(DataType.LocalizedText, new LocalizedText({ text: 'Füllen', locale: 'de' })), good)).toEqual({ value: 'Füllen', status: 0 });
    expect(convert('text', v(DataType.DateTime, new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 6))), good)).toEqual({ value: '2025-01-02T03:04:05.006Z', status: 0 });
  });

  it('handles 64-bit integers honestly: nearest double for analog, exact digits for text, refused beyond 2^53 for a state', () => {
    const big = [0x00200000, 0x00000001]; // 2^53 + 1
    expect(convert('analog', v(DataType.UInt64, big), good).value).toBe(Number(2n ** 53n + 1n));
    expect(convert('text', v(DataType.UInt64, big), good)).toEqual({ value: (2n ** 53n + 1n).toString(), status: 0 });
    expect(convert('discrete', v(DataType.UInt64, big), good)).toEqual({ value: null, status: code(StatusCodes.BadOutOfRange) });
    expect(convert('analog', v(DataType.Int64, [0xffffffff, 0xffffff9c]), good).value).toBe(-100);
    expect(convert('text', v(DataType.Int64, [0x80000000, 0]), good).value).toBe((-(2n ** 63n)).toString());
  });

  it('marks a good NaN or ±Infinity bad, keeping its time', () => {
    for (const x of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(convert('analog', v(DataType.Double, x), good)).toEqual({ value: null, status: code(StatusCodes.BadOutOfRange) });
    }
    // A bad status stays the server's own.
    expect(convert('analog', v(DataType.Double, Number.NaN), code(StatusCodes.BadSensorFailure))).toEqual({ value: null, status: code(StatusCodes.BadSensorFailure) });
  });

  it('takes a good status with no value (a variable not written yet, e.g. after a server restart) for waiting, not a wrong type', () => {
    const waiting = code(StatusCodes.BadWaitingForInitialData);
    for (const kind of ['analog', 'discrete', 'text'] as const) {
      expect(convert(kind, new Variant({ dataType: DataType.Null }), good), kind).toEqual({ value: null, status: waiting });
      expect(convert(kind, null, good), kind).toEqual({ value: null, status: waiting });
    }
    // A bad status with no value stays the server's own.
    expect(convert('analog', new Variant({ dataType: DataType.Null }), code(StatusCodes.BadSensorFailure))).toEqual({ value: null, status: code(StatusCodes.BadSensorFailure) });
  });

  it('takes a good status or UncertainInitialValue with no value, once the item delivered a value, for Bad: a value gone is no value awaited', () => {
    for (const kind of ['analog', 'discrete', 'text'] as const) {
      for (const status of [good, code(StatusCodes.UncertainInitialValue)]) {
        const got = convert(kind, new Variant({ dataType: DataType.Null }), status, true);
        expect(got, kind).toEqual({ value: null, status: code(StatusCodes.Bad) });
        expect(isNoLiveData(got.status), kind).toBe(false);
      }
    }
    // A bad status stays the server's own.
    expect(convert('analog', null, code(StatusCodes.BadSensorFailure), true)).toEqual({ value: null, status: code(StatusCodes.BadSensorFailure) });
  });

  it('takes a null String and DateTime\'s minimum (1601, "unset") for the empty text of a text tag, not a value still awaited', () => {
    const nullString = new Variant({ dataType: DataType.String, value: null });
    expect(nullString.value).toBeNull(); // as a server sends a String never written
    expect(convert('text', nullString, good)).toEqual({ value: '', status: 0 });
    expect(convert('text', v(DataType.DateTime, new Date(Date.UTC(1601, 0, 1))), good)).toEqual({ value: '', status: 0 });
    expect(convert('text', v(DataType.DateTime, new Date(Date.UTC(2026, 11, 5, 12))), good)).toEqual({ value: '2026-12-05T12:00:00.000Z', status: 0 });
    // A Bad one keeps the server's status, with no value.
    expect(convert('text', nullString, code(StatusCodes.BadSensorFailure))).toEqual({ value: null, status: code(StatusCodes.BadSensorFailure) });
  });

  it('takes UncertainInitialValue with no value for waiting; any other uncertain status with none for Bad, so its quality alarm is raised', () => {
    // Part 4 §7.39: UncertainInitialValue is the value a source has before its first (a server's
    // initial value): with none, the server has no value yet, as BadWaitingForInitialData says. Other
    // Uncertain codes qualify a value that should be there; with none it is a fault (Bad), never
    // "no live data" (isNoLiveData), which the alarm engine leaves suspect, without an alarm.
    const waiting = code(StatusCodes.BadWaitingForInitialData);
    const faults = [StatusCodes.Uncertain, StatusCodes.UncertainLastUsableValue, StatusCodes.UncertainNoCommunicationLastUsableValue, StatusCodes.UncertainSensorNotAccurate];
    for (const kind of ['analog', 'discrete', 'text'] as const) {
      for (const empty of [new Variant({ dataType: DataType.Null }), null, undefined]) {
        expect(convert(kind, empty, code(StatusCodes.UncertainInitialValue)), `${kind} initial`).toEqual({ value: null, status: waiting });
        for (const status of faults) {
          const got = convert(kind, empty, code(status));
          expect(got, `${kind} ${status.name}`).toEqual({ value: null, status: code(StatusCodes.Bad) });
          expect(isNoLiveData(got.status), `${kind} ${status.name}`).toBe(false);
        }
      }
    }
    // An uncertain status with a value keeps the value and the server's status.
    expect(convert('analog', v(DataType.Double, 4.5), code(StatusCodes.UncertainLastUsableValue))).toEqual({ value: 4.5, status: code(StatusCodes.UncertainLastUsableValue) });
  });

  it('refuses a value of the wrong kind or an array', () => {
    const mismatch = code(StatusCodes.BadTypeMismatch);
    expect(convert('analog', v(DataType.String, '12'), good)).toEqual({ value: null, status: mismatch });
    expect(convert('analog', v(DataType.Boolean, true), good)).toEqual({ value: null, status: mismatch });
    expect(convert('text', v(DataType.Double, 1), good)).toEqual({ value: null, status: mismatch });
    expect(convert('analog', v(DataType.Double, [1, 2], VariantArrayType.Array), good)).toEqual({ value: null, status: mismatch });
    // A failed sensor's junk value is kept as received, with the server's status.
    expect(convert('analog', v(DataType.Double, -9999), code(StatusCodes.BadSensorFailure))).toEqual({ value: -9999, status: code(StatusCodes.BadSensorFailure) });
  });
});

describe('types that fit each kind', () => {
  const type = (builtIn: DataType, extra: Partial<NodeType> = {}): NodeType => ({ builtIn, enumeration: false, structure: false, name: DataType[builtIn], valueRank: -1, historyReadable: false, ...extra });

  it('follows the table of the README', () => {
    expect(fits('analog', DataType.Double, false)).toBe(true);
    expect(fits('analog', DataType.Boolean, false)).toBe(false);
    expect(fits('analog', DataType.String, false)).toBe(false);
    expect(fits('discrete', DataType.Int32, true)).toBe(true);
    expect(fits('analog', DataType.Int32, true)).toBe(false);
    expect(fits('text', DataType.UInt64, false)).toBe(true);
    expect(fits('text', DataType.Double, false)).toBe(false);
  });

  it('refuses arrays and structures with their reason, and suggests a kind for browsing', () => {
    expect(refusalFor('analog', type(DataType.Double, { valueRank: 1 }))).toMatchObject({ status: code(StatusCodes.BadConfigurationError), key: 'acquisition.issue.array' });
    expect(refusalFor('text', type(DataType.ExtensionObject, { structure: true, name: 'Range' }))).toMatchObject({ key: 'acquisition.issue.structure', params: { dataType: 'Range' } });
    expect(refusalFor('analog', type(DataType.String))).toMatchObject({ status: code(StatusCodes.BadTypeMismatch), key: 'acquisition.issue.kindMismatch' });
    expect(refusalFor('analog', type(DataType.Guid))).toMatchObject({ key: 'acquisition.issue.unsupportedType' });
    expect(refusalFor('analog', type(DataType.Variant))).toBeNull();
    expect(suggestedKind(type(DataType.Float))).toBe('analog');
    expect(suggestedKind(type(DataType.Int32, { enumeration: true }))).toBe('discrete');
    expect(suggestedKind(type(DataType.DateTime))).toBe('text');
    expect(suggestedKind(type(DataType.Double, { valueRank: 1 }))).toBeNull();
  });
});
