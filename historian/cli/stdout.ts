/**
 * The CLI's stdout when its reader goes away (`export ... | head`, a pager quit early). Node
 * ignores SIGPIPE, so a write to a closed pipe fails with EPIPE as an 'error' event: unheard, it
 * crashed `query` with a stack trace (the archive left open), and ended `export` with "write EPIPE"
 * and exit code 1. A closed pipe is the reader's choice, not a failure of the command: the export's
 * next write fails, so it stops reading the archive, which is closed as after any run, and the
 * command exits 0 saying nothing. 0 rather than a shell's 141 for SIGPIPE: whether the reader
 * stopped before or after the last row is a race, and the exit code must not depend on it
 * (`set -o pipefail` scripts still see a reader's own failure in its status). A command whose
 * output is a side note (import, watch) goes on with its work. Any other failure of stdout is
 * an error (exit code 1).
 */
import type { Writable } from 'node:stream';

export class Stdout {
  private gone = false;
  private failure: Error | undefined;
  private reported = false;
  private done = false;

  constructor(private readonly who: string, stream: Writable = process.stdout) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE' || (this.gone && e.code === 'ERR_STREAM_DESTROYED')) {
        this.gone = true;
        return;
      }
      this.failure ??= e;
      // After the command returned (a write's error comes on a later tick), said here.
      if (this.done) this.reportFailure();
    });
  }

  /** True when e is stdout's reader having gone away (the write that met it, or one after). */
  readerGone(e?: unknown): boolean {
    const code = (e as NodeJS.ErrnoException | undefined)?.code;
    return this.gone && (e === undefined || code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED');
  }

  /** True when e is the failure of stdout this has already seen (main says it once). */
  isFailure(e: unknown): boolean {
    return e !== undefined && e === this.failure;
  }

  /** The command ended with code: its exit code, 1 when stdout failed otherwise than by its reader going. */
  finish(code: number): number {
    this.done = true;
    if (this.failure === undefined || this.reported) return code;
    this.reportFailure();
    return Math.max(code, 1);
  }

  private reportFailure(): void {
    if (this.reported || this.failure === undefined) return;
    this.reported = true;
    process.stderr.write(`${this.who}: cannot write to stdout: ${this.failure.message}\n`);
    process.exitCode = Math.max(Number(process.exitCode ?? 0), 1);
  }
}
