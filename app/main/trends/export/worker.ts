/**
 * The export worker: one thread per export, with its own read-only view of
 * the archive (the historian's ArchiveReader), so reading, formatting and
 * hashing millions of rows holds up neither the writer nor the console API.
 *
 * To a file: written as <file>.part, synced, then renamed; a cancel or a
 * failure removes the .part, so no file that looks complete is left behind.
 * To a stream: chunks go to the parent as transferred buffers, at most
 * WINDOW unacknowledged at once (the parent acks when its socket drained).
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { ArchiveReader } from '../../../../historian/cli/reader.js';
import { ExportCancelled, runExport } from './run.js';
import type { ExportHeader } from './format.js';

export type ExportWorkerTarget = { kind: 'file'; path: string } | { kind: 'stream' };
export interface ExportWorkerData {
  dir: string;
  spec: ExportHeader;
  target: ExportWorkerTarget;
}
export type ToWorker = { type: 'cancel' } | { type: 'ack' };
export type FromWorker =
  | { type: 'chunk'; bytes: ArrayBuffer }
  | { type: 'progress'; rows: number; bytes: number; fraction: number }
  | { type: 'done'; rows: number; bytes: number; sha256: string }
  | { type: 'cancelled' }
  | { type: 'failed'; error: string };

const WINDOW = 4;
const PROGRESS_EVERY_MS = 150;

const port = parentPort;
if (port === null) throw new Error('trends export worker: must run in a worker thread');
const { dir, spec, target } = workerData as ExportWorkerData;
const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

let cancelled = false;
let credit = WINDOW;
let wake: (() => void) | null = null;
port.on('message', (m: ToWorker) => {
  if (m.type === 'cancel') cancelled = true;
  else credit++;
  wake?.();
  wake = null;
});

async function sendChunk(bytes: Uint8Array): Promise<void> {
  await new Promise<void>((r) => setImmediate(r));
  while (credit <= 0 && !cancelled) await new Promise<void>((r) => (wake = r));
  if (cancelled) throw new ExportCancelled();
  credit--;
  // Its own buffer, so the transfer moves exactly these bytes (a small Buffer is a view into a
  // shared pool, and Buffer#slice is a view too: copy with the Uint8Array constructor).
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
  post({ type: 'chunk', bytes: own.buffer as ArrayBuffer }, [own.buffer as ArrayBuffer]);
}

/** Writes a chunk, then lets this thread's event loop run: a cancel is a message, seen only there. */
async function writeFile(fd: number, bytes: Uint8Array): Promise<void> {
  writeSync(fd, bytes);
  await new Promise<void>((r) => setImmediate(r));
}

async function main(): Promise<void> {
  const reader = new ArchiveReader(dir);
  const part = target.kind === 'file' ? `${target.path}.part` : null;
  let fd: number | null = null;
  try {
    if (part !== null) fd = openSync(part, 'w');
    let lastProgress = 0;
    const result = await runExport(reader, spec, {
      write: fd !== null ? (bytes) => writeFile(fd!, bytes) : sendChunk,
      cancelled: () => cancelled,
      progress: (p) => {
        const now = Date.now();
        if (now - lastProgress < PROGRESS_EVERY_MS && p.fraction < 1) return;
        lastProgress = now;
        post({ type: 'progress', ...p });
      },
    });
    if (fd !== null && target.kind === 'file') {
      fsyncSync(fd);
      closeSync(fd);
      fd = null;
      renameSync(part!, target.path);
    }
    post({ type: 'done', ...result });
  } catch (err) {
    if (fd !== null) closeSync(fd);
    if (part !== null) rmSync(part, { force: true });
    post(err instanceof ExportCancelled ? { type: 'cancelled' } : { type: 'failed', error: (err as Error).message });
  } finally {
    reader.close();
  }
}

void main();
