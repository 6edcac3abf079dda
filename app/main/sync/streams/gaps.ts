/**
 * The acquisition's gap ledger upstream: periods in which an OPC UA server
 * was lost, so the region can tell a real hole from a sync delay.
 *
 *   <measurement>_gaps,server=<id>,site=<site> start=<ms>i,end=<ms>i,duration_ms=<ms>i,ongoing=false,reason="..." <start>
 *
 * One point per gap at its start time: when a gap that was sent as ongoing is
 * closed, its second record lands on the same point (InfluxDB merges the
 * fields; VictoriaMetrics keeps both samples).
 */
import type { Lines } from '../line-protocol/batch.js';
import { type Dialect, Unwritable, escapeMeasurement, escapeTag, quoteString } from '../line-protocol/escape.js';

export interface GapRecord {
  /** The OPC UA server's id from the station config. */
  server: string;
  /** When the server was lost (ms). */
  start: number;
  /** When it came back (ms); null while it is still lost. */
  end: number | null;
  reason: string;
}

export interface GapEncoding {
  measurement: string;
  site: string;
  dialect: Dialect;
  stringFields: boolean;
}

export function gapEncoder(e: GapEncoding): (g: GapRecord, out: Lines) => void {
  const measurement = escapeMeasurement(`${e.measurement}_gaps`, e.dialect);
  const site = escapeTag(e.site, e.dialect, 'site');
  return (g, out) => {
    const server = escapeTag(g.server, e.dialect, 'server id');
    let fields = `start=${g.start}i`;
    fields += g.end === null ? ',ongoing=true' : `,end=${g.end}i,duration_ms=${g.end - g.start}i,ongoing=false`;
    let problem: Unwritable | null = null;
    if (e.stringFields) {
      const reason = quoteString(g.reason.replace(/[\r\n]+/g, ' '), 'reason');
      if (reason instanceof Unwritable) problem = reason;
      else fields += `,reason=${reason}`;
    }
    for (const part of [measurement, site, server]) if (part instanceof Unwritable) problem = part;
    if (problem === null) {
      out.push(`${measurement as string},server=${server as string},site=${site as string} ${fields} ${g.start}`, g.start, g.server);
    } else {
      out.refuse({ line: `${e.measurement}_gaps,server=${JSON.stringify(g.server)} ${fields} ${g.start}`, reason: problem.reason, said: problem.said, t: g.start, key: g.server, record: JSON.stringify(g) });
    }
  };
}
