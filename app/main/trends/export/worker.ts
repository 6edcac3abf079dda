/**
 * The export worker: one thread per export, with its own read-only view of
 * the archive (the historian's ArchiveReader), reading and formatting the
 * rows so that neither the writer nor the console API waits on them. It is
 * started ahead of its export (loading its code takes a while) and begins
 * when told what to export ('start'). Its
 * chunks go to the station's main thread as transferred buffers, at most
 * WINDOW unacknowledged at once (acknowledged once written onward), where
 * they are hashed and written to the file or the download.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ArchiveReader } from '../../../../historian/cli/reader.js';
import { ExportCancelled, exportBody } from './run.js';
import type { ExportHeader } from './format.js';

export interface ExportWorkerData {
  dir: string;
}
export type ToWorker = { type: 'start'; spec: ExportHeader } | { type: 'cancel' } | { type: 'ack' };
export type FromWorker =
  | { type: 'chunk'; bytes: ArrayBuffer }
  | { type: 'progress'; rows: number; bytes: number; fraction: number }
  | { type: 'done'; rows: number; bytes: number }
  | { type: 'cancelled' }
  | { type: 'failed'; error: string };

const WINDOW = 4;
const PROGRESS_EVERY_MS = 150;

const port = parentPort;
if (port === null) throw new Error('trends export worker: must run in a worker thread');
const { dir } = workerData as ExportWorkerData;
const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

let cancelled = false;
let credit = WINDOW;
let wake: (() => void) | null = null;
port.on('message', (m: ToWorker) => {
  if (m.type === 'start') {
    void main(m.spec);
    return;
  }
  if (m.type === 'cancel') cancelled = true;
  else credit++;
  wake?.();
  wake = null;
});

async function send(bytes: Uint8Array): Promise<void> {
  // Let this thread's event loop run: a cancel or an acknowledgement is a message, seen only there.
  await new Promise<void>((r) => setImmediate(r));
  while (credit <= 0 && !cancelled) await new Promise<void>((r) => (wake = r));
  if (cancelled) throw new ExportCancelled();
  credit--;
  // Its own buffer, so the transfer moves exactly these bytes (a small Buffer is a view into a
  // shared pool, and Buffer#slice is a view too: copy with the Uint8Array constructor).
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
  post({ type: 'chunk', bytes: own.buffer as ArrayBuffer }, [own.buffer as ArrayBuffer]);
}

async function main(spec: ExportHeader): Promise<void> {
  const reader = new ArchiveReader(dir);
  try {
    let lastProgress = 0;
    const result = await exportBody(reader, spec, {
      write: send,
      cancelled: () => cancelled,
      progress: (p) => {
        const now = Date.now();
        if (now - lastProgress < PROGRESS_EVERY_MS && p.fraction < 1) return;
        lastProgress = now;
        post({ type: 'progress', ...p });
      },
    });
    // A volume of the range whose file could not be read: the file would lack its period and look complete.
    const unread = reader.unreadableVolumes();
    if (unread.length > 0) {
      post({ type: 'failed', error: `export: the archive could not be read in full: ${unread.map((p) => p.message).join('; ')}` });
      return;
    }
    post({ type: 'done', ...result });
  } catch (err) {
    post(err instanceof ExportCancelled ? { type: 'cancelled' } : { type: 'failed', error: (err as Error).message });
  } finally {
    reader.close();
    // What was posted is still delivered; closing lets the thread end.
    port!.close();
  }
}

