// npm run simulator -- [--port 4840] [--seed N] [--extra-tags N] [--tick-ms 500]
//                      [--scenario name:target]... [--host 127.0.0.1] [--pki-dir DIR]
// Prints the endpoint on stdout; logs (JSON lines) go to stderr. Stops cleanly on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { parseScenario, SCENARIOS } from './model/scenarios.js';
import { watchParent } from './parent-watch.js';
import type { SimulatorOptions } from './server.js';

const USAGE = `Usage: npm run simulator -- [options]
  --port N              TCP port (default 4840; 0 = any free port)
  --host ADDR           address to bind (default 127.0.0.1)
  --seed N              PRNG seed: the same seed gives the same values tick by tick (default 1)
  --tick-ms N           ms between ticks (default 500)
  --extra-tags N        add N changing analog tags Extra.Tag0001... for load tests
  --scenario NAME:TARGET  start a scenario at once (repeatable):
${Object.entries(SCENARIOS).map(([n, d]) => `      ${n.padEnd(14)} ${d}`).join('\n')}
  --pki-dir DIR         keep the server certificate in DIR (default: a temporary folder)
  --history N           values of history kept per plant variable for HistoryRead (default 2000; 0 = none)
`;

function integer(flag: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${flag}: expected an integer >= ${min}, got "${text}"`);
  return n;
}

function options(argv: string[]): SimulatorOptions | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' }, host: { type: 'string' }, seed: { type: 'string' },
      'tick-ms': { type: 'string' }, 'extra-tags': { type: 'string' },
      scenario: { type: 'string', multiple: true }, 'pki-dir': { type: 'string' }, history: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return null;
  const port = integer('port', values.port, 4840, 0);
  if (port > 65535) throw new Error(`--port: expected 0..65535, got ${port}`);
  return {
    port,
    host: values.host ?? '127.0.0.1',
    seed: integer('seed', values.seed, 1, 0),
    tickMs: integer('tick-ms', values['tick-ms'], 500, 10),
    extraTags: integer('extra-tags', values['extra-tags'], 0, 0),
    scenarios: (values.scenario ?? []).map(parseScenario),
    pkiDir: values['pki-dir'],
    historyValues: integer('history', values.history, 2000, 0),
  };
}

async function main(): Promise<void> {
  let opts: SimulatorOptions | null;
  try {
    opts = options(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`simulator: ${(err as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (!opts) {
    process.stdout.write(USAGE);
    return;
  }
  // Started by a console (VIGIL_SIMULATOR_PARENT): it ends with the console, even one killed.
  watchParent();
  const logger = pino({ name: 'simulator' }, pino.destination(2));
  // node-opcua takes seconds to load: only once the arguments are known to be good.
  const { startSimulator } = await import('./server.js');
  const sim = await startSimulator({ ...opts, logger });
  process.stdout.write(`${sim.endpoint}\n`);
  const stop = (signal: string): void => {
    logger.info({ signal }, 'stopping');
    sim.stop().then(
      () => { process.exitCode = 0; },
      (err: unknown) => { logger.error({ err }, 'stop failed'); process.exitCode = 1; },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`simulator: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 1;
});
