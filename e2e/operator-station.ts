/**
 * Browser mode exactly as `npm start -- --browser` runs it, with one
 * difference for tests of permissioned actions (exports, trend groups):
 * every console is signed in as an operator. It stands in for the accounts
 * module's sign-in until that module is part of the station; the dispatcher
 * still checks the permission and writes the audit entry.
 */
import { parseStartArgs } from '../app/main/args.js';
import { createLogger } from '../app/main/log.js';
import { serveBrowserMode } from '../app/main/serve.js';

const args = parseStartArgs(process.argv.slice(2));
const logger = createLogger({ level: args.logLevel });
const served = await serveBrowserMode(args, logger, (station) =>
  station.dispatcher.useSessions({ sessionOf: () => ({ id: 'e2e', user: 'e2e-operator', displayName: 'E2E Operator', roles: ['operator'], since: 0 }) }),
);
process.stdout.write(`Vigil console: ${served.url}\n`);
const stop = () => void served.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
