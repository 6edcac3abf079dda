/**
 * Where an Electron export goes: <file>.part, written chunk by chunk, synced
 * and renamed to <file> only when complete; an abort removes the .part, so a
 * cancelled or failed export leaves no file that looks complete.
 */
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import type { StreamSink } from './service.js';

export class FileSink implements StreamSink {
  private readonly part: string;
  private chain: Promise<FileHandle>;
  private failed: Error | null = null;
  private closed = false;

  constructor(readonly path: string) {
    this.part = `${path}.part`;
    this.chain = open(this.part, 'w');
  }

  write(bytes: Uint8Array, written: () => void): void {
    this.chain = this.chain.then(async (fh) => {
      if (!this.failed) await fh.write(bytes);
      written();
      return fh;
    });
    this.chain.catch((err: Error) => (this.failed ??= err));
  }

  async end(): Promise<void> {
    const fh = await this.chain;
    if (this.failed) throw this.failed;
    await fh.sync();
    await fh.close();
    this.closed = true;
    await rename(this.part, this.path);
  }

  abort(): Promise<void> {
    return this.chain
      .then((fh) => (this.closed ? undefined : fh.close()))
      .catch(() => undefined) // the file could not even be opened: nothing to close
      .then(() => rm(this.part, { force: true }));
  }

  onClose(): void {
    // A file does not go away by itself; the operator cancels through the console.
  }
}
