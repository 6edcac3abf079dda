/**
 * What a server gives of its own time, shaped for the clock tests on the wire (node-opcua's
 * "request" and "response" events, each response before it is encoded): a CurrentTime left unset or
 * Bad (as some embedded servers and gateways do); the ServerTimestamps of its reads and its
 * publishTimes from its clock shifted (its whole clock off, as a PLC's without NTP), or left out (a
 * server that gives no time at all). What the server keeps (its cache, its retransmission queue)
 * is not touched.
 */
import {
  DataChangeNotification, DataType, DataValue, NotificationMessage, PublishResponse, ReadRequest, ReadResponse, StatusCodes, VariableIds,
} from 'node-opcua';
import type { TestServer } from './test-server.js';

export interface ServerTime {
  /** Its CurrentTime (i=2258): unset (the OPC UA DateTime minimum, 1601), Bad (BadResourceUnavailable), or as the server gives it. */
  currentTime: 'unset' | 'bad' | 'given';
  /** Its reads' ServerTimestamps and its publishTimes: its clock shifted by offsetMs, or left out (null, notifications' ServerTimestamps too). */
  stamps: { offsetMs: number } | null;
  /** Its publishTimes alone, when set: shifted by their own offset (a fast or garbled clock; the ServerTimestamps as `stamps` says), or left out (null). */
  publish?: { offsetMs: number } | null;
}

const CURRENT_TIME = VariableIds.Server_ServerStatus_CurrentTime;

/** `o` is read at each response: a test may change it while the server runs (a clock that starts giving its time). */
export function shapeServerTime(server: TestServer, o: ServerTime): void {
  const stamp = (d: Date | null | undefined): Date | null => (o.stamps === null || !d ? null : new Date(d.getTime() + o.stamps.offsetMs));
  const restamped = (dv: DataValue): DataValue => new DataValue({
    value: dv.value, statusCode: dv.statusCode, sourceTimestamp: dv.sourceTimestamp, sourcePicoseconds: dv.sourcePicoseconds, serverTimestamp: stamp(dv.serverTimestamp),
  });
  const noTime = (): DataValue => (o.currentTime === 'bad'
    ? new DataValue({ statusCode: StatusCodes.BadResourceUnavailable, serverTimestamp: new Date() })
    : new DataValue({ value: { dataType: DataType.DateTime, value: UNSET }, serverTimestamp: new Date() }));
  // A value's ServerTimestamp in a notification is the one it was set with (setValueFromSource stamps both with the plant's clock): left, or left out.
  const notified = (dv: DataValue): DataValue => (o.stamps === null ? new DataValue({ value: dv.value, statusCode: dv.statusCode, sourceTimestamp: dv.sourceTimestamp, sourcePicoseconds: dv.sourcePicoseconds }) : dv);
  /** The OPC UA DateTime minimum: a time left unset. */
const UNSET = new Date(Date.UTC(1601, 0, 1));

/** Per read request (its handle), which results are of CurrentTime. */
  const reads = new Map<number, boolean[]>();
  server.server.on('request', (r: unknown) => {
    if (r instanceof ReadRequest) reads.set(r.requestHeader.requestHandle, (r.nodesToRead ?? []).map((n) => n.nodeId.namespace === 0 && n.nodeId.value === CURRENT_TIME));
  });
  server.server.on('response', (r: unknown) => {
    if (r instanceof ReadResponse) {
      const current = reads.get(r.responseHeader.requestHandle) ?? [];
      reads.delete(r.responseHeader.requestHandle);
      r.results = (r.results ?? []).map((dv, i) => restamped(current[i] && o.currentTime !== 'given' ? noTime() : dv));
    }
    if (r instanceof PublishResponse && r.notificationMessage) {
      const m = r.notificationMessage;
      // The message kept for a Republish stays as it was: a copy goes out.
      r.notificationMessage = new NotificationMessage({
        // node-opcua's server leaves it unset (1601): given, it is the server's clock when it sends.
        sequenceNumber: m.sequenceNumber, publishTime: (o.publish === undefined ? stamp(new Date()) : o.publish && new Date(Date.now() + o.publish.offsetMs)) ?? UNSET,
        notificationData: (m.notificationData ?? []).map((n) => (n instanceof DataChangeNotification
          ? new DataChangeNotification({ monitoredItems: (n.monitoredItems ?? []).map((i) => ({ clientHandle: i.clientHandle, value: notified(i.value) })), diagnosticInfos: n.diagnosticInfos })
          : n)),
      });
    }
  });
}
