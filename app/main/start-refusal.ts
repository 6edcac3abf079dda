/**
 * A condition of the machine that stops a station from starting (a port taken, an address not
 * there): start.ts and the Electron shell say its message alone, without a stack trace, since
 * the message says what to do.
 */
export class StartRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartRefusal';
  }
}

/** A port another program holds: what to say (`what` cannot listen on `at`), and the flag that picks another. */
export function portInUseText(what: string, at: string, holders: string, flag: string): string {
  return `${what} cannot listen on ${at}: the port is in use (another Vigil console, or ${holders}). Stop that program, or start this one with ${flag}`;
}

/** Why a listen on host:port failed, in words, when the cause is the machine's (else null). */
export function listenProblem(err: unknown, host: string, port: number, what: string, flag: string): StartRefusal | null {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const at = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (code === 'EADDRINUSE') return new StartRefusal(portInUseText(what, at, 'another program', flag));
  if (code === 'EACCES') return new StartRefusal(`${what} may not listen on ${at}: ports below 1024 need privileges. Start with ${flag}`);
  if (code === 'EADDRNOTAVAIL') return new StartRefusal(`${what} cannot listen on ${at}: this machine has no such address. Give one of its own addresses`);
  return null;
}
