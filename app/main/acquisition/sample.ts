import type { DataValue } from 'node-opcua';

/** A value as acquired: quality (OPC UA status) travels with it everywhere. */
export interface AcquiredSample {
  tag: string;
  /** Source timestamp, ms UTC (server timestamp or receive time when the source gives none). */
  t: number;
  value: number | boolean | string | null;
  status: number;
}

/** OPC UA Variant payload -> a plain value the station can archive and display. */
export function plainValue(v: unknown): number | boolean | string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'object' && 'text' in v) return String((v as { text: unknown }).text ?? '');
  return String(v);
}

export function fromDataValue(tag: string, dv: DataValue, receivedAt: number): AcquiredSample {
  const t = dv.sourceTimestamp?.getTime() ?? dv.serverTimestamp?.getTime() ?? receivedAt;
  return { tag, t: Number.isFinite(t) ? t : receivedAt, value: plainValue(dv.value?.value), status: dv.statusCode.value >>> 0 };
}
