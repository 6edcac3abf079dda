/**
 * OPC UA status codes as text at the CSV edge: names (the ones historian/status.ts
 * defines, plus the bare severities Good / Uncertain / Bad), decimal uint32 or 0x hex.
 */
import * as statuses from '../status.js';
import { codeOf, severity, type StatusCode } from '../status.js';

const SEVERITY_CODE: Record<string, StatusCode> = { good: 0x00000000, uncertain: 0x40000000, bad: 0x80000000 };

const codeByName = new Map<string, StatusCode>();
const nameByCode = new Map<StatusCode, string>();
for (const [name, code] of Object.entries(statuses)) {
  if (typeof code !== 'number' || !/^(Good|Uncertain|Bad)[A-Z]/.test(name)) continue;
  codeByName.set(name.toLowerCase(), code);
  if (!nameByCode.has(code)) nameByCode.set(code, name);
}
for (const [name, code] of Object.entries(SEVERITY_CODE)) codeByName.set(name, code);
nameByCode.set(0x00000000, 'Good');

/** Parses a status field; an empty field is Good. Returns undefined when unknown. */
export function parseStatus(raw: string): StatusCode | undefined {
  const text = raw.trim();
  if (text === '') return 0;
  if (/^0x[0-9a-f]{1,8}$/i.test(text)) return Number.parseInt(text.slice(2), 16) >>> 0;
  if (/^\d{1,10}$/.test(text)) {
    const n = Number(text);
    return n <= 0xffffffff ? n : undefined;
  }
  return codeByName.get(text.toLowerCase());
}

export const STATUS_EXPECTED = 'a status: Good, Uncertain, Bad, a name such as BadSensorFailure, a uint32 or 0x hex';

/** The status's name (from its code, without historian bits), or its severity when unnamed. */
export function statusName(status: StatusCode): string {
  const named = nameByCode.get(codeOf(status));
  if (named !== undefined) return named;
  const s = severity(status);
  return s[0].toUpperCase() + s.slice(1);
}

export function statusHex(status: StatusCode): string {
  return `0x${(status >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}
