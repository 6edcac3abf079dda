/**
 * What a ServiceLevel read says (probe.ts levelOf): Part 5 makes Server.ServiceLevel a Byte
 * (0..255) and Part 4 §6.6.2.4.2 gives its ranges. Anything else is an unknown level (null), never
 * a level; and a standby in maintenance (0) is read every ten probe periods, at least every 30 s.
 */
import { describe, expect, it } from 'vitest';
import { DataType, DataValue, StatusCodes, Variant } from 'node-opcua';
import { levelOf, maintenanceWaitMs } from './probe.js';

const read = (value: Variant | null, statusCode = StatusCodes.Good) => new DataValue({ value: value ?? undefined, statusCode });

describe('a ServiceLevel as read', () => {
  it('is a Byte with a Good status', () => {
    expect(levelOf(read(new Variant({ dataType: DataType.Byte, value: 0 })))).toBe(0);
    expect(levelOf(read(new Variant({ dataType: DataType.Byte, value: 255 })))).toBe(255);
  });

  it('is unknown for a Bad or Uncertain status, a node the server does not know, another type or range, or no value', () => {
    expect(levelOf(read(new Variant({ dataType: DataType.Byte, value: 200 }), StatusCodes.BadInternalError))).toBeNull();
    expect(levelOf(read(new Variant({ dataType: DataType.Byte, value: 200 }), StatusCodes.UncertainLastUsableValue))).toBeNull();
    expect(levelOf(read(null, StatusCodes.BadNodeIdUnknown))).toBeNull();
    expect(levelOf(read(new Variant({ dataType: DataType.String, value: '255' })))).toBeNull();
    expect(levelOf(read(new Variant({ dataType: DataType.Int32, value: 300 })))).toBeNull();
    expect(levelOf(read(new Variant({ dataType: DataType.Double, value: 200.5 })))).toBeNull();
    expect(levelOf(read(null))).toBeNull();
  });

  it('reads a standby in maintenance ten times less often, at least every 30 s', () => {
    expect(maintenanceWaitMs(300)).toBe(30_000);
    expect(maintenanceWaitMs(5000)).toBe(50_000);
  });
});
