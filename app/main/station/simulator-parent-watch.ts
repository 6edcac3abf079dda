/**
 * Preloaded into the built-in simulator (nodeLauncher, --import): the simulator ends when the
 * console that started it dies. A console killed (kill -9, power button on a test rig) runs no exit
 * handler, and the orphan kept the port, so the console's restart was refused (the port in use).
 * Reparented means the parent is gone: polling ppid needs nothing from the parent.
 */
const PARENT_ENV = 'VIGIL_SIMULATOR_PARENT';
const POLL_MS = 500;

const parent = Number(process.env[PARENT_ENV]);
if (Number.isInteger(parent) && parent > 0) {
  // unref: the watch alone never keeps the simulator alive. SIGTERM: it stops as on a console's stop.
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
  }, POLL_MS).unref();
}

export {};
