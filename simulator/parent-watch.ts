/**
 * The built-in simulator ends when the console that started it dies. A console killed (kill -9,
 * a crash, the power button on a test rig) runs no exit handler, and the orphan kept the port, so
 * the console's restart was refused (the port in use). The console names itself in
 * VIGIL_SIMULATOR_PARENT. A Node child of it is reparented when it dies (its ppid changes); an
 * Electron utility process may have another process between them (ppid is not the console), so
 * there the console's pid itself is polled. Neither needs anything from the parent.
 */
export const PARENT_ENV = 'VIGIL_SIMULATOR_PARENT';
const POLL_MS = 500;

/** Whether a process of this pid exists (EPERM: it does, another user's). */
function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Stops this process (SIGTERM: as on a console's stop) once the named parent is gone; nothing without one. */
export function watchParent(env: NodeJS.ProcessEnv = process.env): void {
  const parent = Number(env[PARENT_ENV]);
  if (!Number.isInteger(parent) || parent <= 0) return;
  const direct = process.ppid === parent;
  // unref: the watch alone never keeps the simulator alive. Once: a second SIGTERM while the first
  // stop runs would find no handler and kill it mid-stop.
  const poll = setInterval(() => {
    if (direct ? process.ppid === parent : exists(parent)) return;
    clearInterval(poll);
    process.kill(process.pid, 'SIGTERM');
  }, POLL_MS).unref();
}
