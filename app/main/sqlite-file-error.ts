/**
 * A SQLite error on one of the data directory's files, named: without the path it could be any
 * of them. For a damaged file (or one that is not a database) it also says what the file holds
 * and what to do.
 */
export function unreadableFile(file: string, holds: string, err: unknown): unknown {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return err;
  const damaged = code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB');
  const todo = damaged
    ? `. It holds ${holds} and cannot be read: stop the station, then restore it from a backup, or move it and its -wal and -shm files aside to start with an empty one`
    : '';
  return new Error(`${file}: ${(err as Error).message}${todo}`, { cause: err });
}
