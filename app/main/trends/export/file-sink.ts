/**
 * Where an Electron export goes: <file>.part, written chunk by chunk, synced
 * and renamed to <file> only when complete; an abort removes the .part, so a
 * cancelled or failed export leaves no file that looks complete.
 *
 * A file that cannot be opened or written (no such folder, disk full) is told
 * to the onClose listener with the error, at once: the export fails then,
 * instead of formatting the rest of the range for nothing.
 */
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import type { StreamSink } from './service.js';

export class FileSink implements StreamSink {
  private readonly part: string;
  private chain: Promise<FileHandle | null>;
  private failed: Error | null = null;
  private closed = false;
  private readonly listeners: ((error?: Error) => void)[] = [];

  constructor(readonly path: string) {
    this.part = `${path}.part`;
    this.chain = open(this.part, 'w').catch((err: Error) => {
      this.fail(err);
      return null;
    });
  }

  write(bytes: Uint8Array, written: () => void): void {
    this.chain = this.chain.then(async (fh) => {
      if (fh !== null && this.failed === null) {
        try {
          await fh.write(bytes);
        } catch (err) {
          this.fail(err as Error);
        }
      }
      // Always acknowledged, so the worker is never left waiting; the failure went to the listeners.
      written();
      return fh;
    });
  }

  async end(): Promise<void> {
    const fh = await this.chain;
    if (this.failed !== null || fh === null) throw this.failed ?? new Error(`${this.part}: not open`);
    await fh.sync();
    await fh.close();
    this.closed = true;
    await rename(this.part, this.path);
  }

  async abort(): Promise<void> {
    const fh = await this.chain;
    if (fh !== null && !this.closed) {
      this.closed = true;
      await fh.close().catch((err: Error) => this.fail(err));
    }
    await rm(this.part, { force: true });
  }

  onClose(listener: (error?: Error) => void): void {
    // A file does not go away by itself: only a failure to open or write it ends the export from here.
    this.listeners.push(listener);
    if (this.failed !== null) listener(this.failed);
  }

  private fail(err: Error): void {
    if (this.failed !== null) return;
    this.failed = new Error(`cannot write ${this.part}: ${err.message}`);
    for (const l of this.listeners) l(this.failed);
  }
}
