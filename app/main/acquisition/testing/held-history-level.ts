/**
 * A real OPC UA server with one historized Double variable, `ns=2;s=Level`, whose HistoryRead the
 * test holds until release(): backfill tests decide when a station's history read is answered.
 * The level changes every `everyMs`, each value its own count, stamped by the server's clock;
 * `record` keeps what the plant produced, the tests' independent expectation. `past`: values the
 * server's history holds from before it started (an old stretch of the plant), in `record` first.
 */
import { DataType, StatusCodes, type UAVariable } from 'node-opcua';
import { startTestServer, type TestServer } from './test-server.js';

/** The server engine calls it without a callback and awaits the promise (node-opcua's withCallback). */
type HistoryRead = (...args: unknown[]) => Promise<unknown>;

export interface HeldHistoryLevel {
  server: TestServer;
  /** What the plant produced, in order. */
  readonly record: { t: number; v: number }[];
  /** HistoryRead calls waiting for release(). */
  waiting(): number;
  /** HistoryRead calls answered so far. */
  answered(): number;
  /** Holds the next HistoryRead calls (the start state). */
  hold(): void;
  /** Answers the calls held and lets the next ones through. */
  release(): void;
  stop(): Promise<void>;
}

export async function startHeldHistoryLevel(opts: { role: string; dir: string; everyMs: number; past?: { t: number; v: number }[] }): Promise<HeldHistoryLevel> {
  const record: { t: number; v: number }[] = [...(opts.past ?? [])];
  const held: (() => void)[] = [];
  let holding = true;
  let answered = 0;
  let level: UAVariable | null = null;
  const release = () => {
    holding = false;
    for (const go of held.splice(0)) go();
  };
  const server = await startTestServer({
    role: opts.role, dir: opts.dir,
    build: (ns, as) => {
      level = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 });
      as.installHistoricalDataNode(level, { maxOnlineValues: 100_000 });
      for (const r of opts.past ?? []) level.setValueFromSource({ dataType: DataType.Double, value: r.v }, StatusCodes.Good, new Date(r.t));
      const v = level as unknown as { historyRead: HistoryRead };
      const read = v.historyRead.bind(v);
      v.historyRead = (...args: unknown[]) => new Promise((resolve, reject) => {
        const go = () => read(...args).then((r) => { answered++; resolve(r); }, reject);
        if (holding) held.push(go);
        else go();
      });
    },
  });
  let n = 0;
  const ticker = setInterval(() => {
    const r = { t: Date.now(), v: n++ };
    record.push(r);
    level?.setValueFromSource({ dataType: DataType.Double, value: r.v }, StatusCodes.Good, new Date(r.t));
  }, opts.everyMs);
  return {
    server, record, release,
    waiting: () => held.length,
    answered: () => answered,
    hold: () => { holding = true; },
    stop: async () => {
      clearInterval(ticker);
      release();
      await server.stop();
    },
  };
}

/** A station acquiring the held level from `endpoint` (no compression: every value archived as it came). */
export const levelStationYaml = (endpoint: string, name = 'Plant'): string => `station: { name: ${name}, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${endpoint}", samplingIntervalMs: 0, publishingIntervalMs: 200, staleAfterMs: 2000 }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`;
