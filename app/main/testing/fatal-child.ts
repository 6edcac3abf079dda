/**
 * A process entry that installs the fatal handlers the way station-entry.ts does, then faults as
 * argv[2] says: 'throw' (an exception thrown from a library's timer, as node-opcua's once was) or
 * 'reject' (a promise rejected with nobody to catch it). Lines logged before the fault show the
 * fatal line is not lost behind a buffered log.
 */
import { createLogger } from '../log.js';
import { installFatalHandlers } from '../fatal.js';

const logger = createLogger({ name: 'fatal-child' });
installFatalHandlers({ logger });
for (let i = 0; i < 2000; i++) logger.info({ i, filler: 'x'.repeat(200) }, 'busy before the fault');

function libraryTimerCallback(): void {
  throw new Error('expecting a valid session');
}

if (process.argv[2] === 'reject') void Promise.reject(new TypeError('nobody caught this'));
else setTimeout(libraryTimerCallback, 10);
// Alive until the fault ends it (a station has servers and timers running).
setInterval(() => {}, 60_000);
