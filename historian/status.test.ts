import { describe, expect, it } from 'vitest';
import { StatusCodes } from 'node-opcua';
import * as status from './status.js';

// node-opcua's generated table (from the OPC Foundation's StatusCode.csv) is the independent source.
describe('status codes', () => {
  const named = Object.entries(status).filter(([name, v]) => typeof v === 'number' && /^(Good|Uncertain|Bad)[A-Z]/.test(name));

  it('every named code equals the OPC Foundation value', () => {
    expect(named.length).toBeGreaterThan(15);
    for (const [name, code] of named) {
      const reference = (StatusCodes as unknown as Record<string, { value: number } | undefined>)[name];
      expect(reference, name).toBeDefined();
      expect((code as number) >>> 0, name).toBe(reference!.value >>> 0);
    }
  });

  it('names a code whatever its info bits, and parses names in any case', () => {
    expect(status.statusNameOf(0x808c0000)).toBe('BadSensorFailure');
    expect(status.statusNameOf(0x808c0400 | 0x2)).toBe('BadSensorFailure');
    expect(status.statusNameOf(0x80ff0000)).toBeNull();
    expect(status.statusCodeNamed('badnocommunication')).toBe(0x80310000);
    expect(status.statusHex(0x80310000)).toBe('0x80310000');
  });
});
