/**
 * A server that accepts the TCP connection and never answers (a hung device, a half-dead gateway):
 * the first attempt waits out node-opcua's 60 s transport timeout. Found by an independent run: a
 * starting station said "connecting…" for that minute, with no communication alarm and no band,
 * against the 3 s the site configured. The attempt is now said to have no answer after
 * staleAfterMs (at least NO_ANSWER_MIN_MS) while it goes on: the server is not connected.
 * The floor is lowered to 2 s here (testing/fast-no-answer.ts) under a staleAfterMs of 1 s: the
 * floor, not staleAfterMs, still sets the wait, without waiting out the station's ten seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_ANSWER_MIN_MS, noAnswerFloor } from './server-link.js';
import { fastNoAnswer } from './testing/fast-no-answer.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

/** Above the staleAfterMs configured below: the wait is the floor's. */
const FLOOR_MS = 2000;

describe('a server that accepts TCP and never answers', () => {
  let dir: string;
  let silent: Server;
  const sockets: Socket[] = [];
  let t: TestStation;
  let undoFloor: () => void = () => undefined;

  beforeAll(async () => {
    // A station waits at least ten seconds (it is not lowered anywhere but here).
    expect(NO_ANSWER_MIN_MS).toBe(10_000);
    expect(noAnswerFloor.ms).toBe(NO_ANSWER_MIN_MS);
    undoFloor = fastNoAnswer(FLOOR_MS);
    dir = mkdtempSync(join(tmpdir(), 'vigil-noanswer-'));
    silent = createServer((socket) => void sockets.push(socket)); // takes the connection, says nothing
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    t = await startTestStation({
      dir,
      yaml: `station: { name: NoAnswer, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "opc.tcp://127.0.0.1:${port}", backfill: false, staleAfterMs: 1000 }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`,
    });
  }, 60_000);

  afterAll(async () => {
    await t?.stop();
    for (const s of sockets) s.destroy();
    silent?.close();
    rmSync(dir, { recursive: true, force: true });
    undoFloor();
  });

  it('is not connected once the first attempt has had no answer, said in the console\'s words, while it goes on', async () => {
    const state = await until('the attempt said to have no answer', () => {
      const s = t.station.acquisition.states()[0];
      return s?.lastError ? s : null;
    }, 40_000);
    expect(state.state).toBe('connecting');
    // max(staleAfterMs 1 s, floor 2 s): the floor's seconds.
    expect(state.lastError).toMatch(/^no answer from opc\.tcp:\/\/127\.0\.0\.1:\d+ within 2 s \(still trying\)$/);
    expect(state.lastErrorText).toEqual({ key: 'acquisition.error.noAnswer', params: { endpoint: expect.stringMatching(/^opc\.tcp:/), seconds: FLOOR_MS / 1000 } });
    // Said once the wait is over, not before: the attempt was still open (no failure of its own yet).
    expect(t.logs.filter((l) => l.msg === 'connection failed')).toEqual([]);
  }, 60_000);
});
