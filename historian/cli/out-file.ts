/**
 * The file `export --out` writes: whole or not at all. Rows go to a dot-named `.part` beside it
 * (a watched inbox leaves such names alone), which takes the given name only once every row is
 * written and synced. A CSV has no closing line, so a file cut short by a full disk or Ctrl-C
 * read back as a complete export that lacked its last hours; now such a run leaves no file.
 */
import { closeSync, createWriteStream, existsSync, fsyncSync, linkSync, openSync, renameSync, rmSync, type WriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The name was taken while the export ran: that file is someone else's, left as it is. */
export class OutFileTaken extends Error {}

export class OutFile {
  readonly part: string;
  readonly stream: WriteStream;

  constructor(readonly path: string) {
    this.part = join(dirname(path), `.${basename(path)}.${process.pid}.part`);
    // Opened here, not by the stream: a discard right after must find the file there to remove.
    let fd: number;
    try {
      fd = openSync(this.part, 'wx');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? `no folder ${dirname(path)}` : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? `no permission to write in ${dirname(path)}` : (e as Error).message;
      throw new Error(`${path}: cannot be written: ${why}`);
    }
    this.stream = createWriteStream('', { fd });
    this.stream.on('error', () => undefined); // the writer's own listener reports it; none must crash the process
  }

  /** The rows are all written and the stream ended: sync them, then give the file its name (never over another). */
  commit(): void {
    const fd = openSync(this.part, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(this.part, this.path); // unlike rename, refuses a file made under that name meanwhile
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || existsSync(this.path)) throw new OutFileTaken(`${this.path}: already exists (not overwritten)`);
      // No hard links there (a FAT USB stick, some shares): rename, the name checked just before.
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EOPNOTSUPP') renameSync(this.part, this.path);
      else throw e;
    } finally {
      rmSync(this.part, { force: true });
    }
  }

  /** Stops the writing (a signal): what waits for the stream fails with why. */
  abort(why: string): void {
    this.stream.destroy(new Error(why));
  }

  /** The run failed or was stopped: nothing of it stays. */
  discard(): void {
    this.stream.destroy();
    rmSync(this.part, { force: true });
  }
}
