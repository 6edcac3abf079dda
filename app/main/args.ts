/**
 * Command-line flags shared by `npm start`, browser mode and the Electron
 * shell. Bad flags are usage errors (exit 2) that say what was expected.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface StartArgs {
  browser: boolean;
  port: number;
  config: string;
  /** True when --config was given: the built-in simulator then starts only with --simulator. */
  customConfig: boolean;
  data: string;
  simulator: boolean;
  simulatorPort: number;
  seed: number;
  kiosk: boolean;
  logLevel: string;
  /** Simulator scenarios to start with (name:target), passed through to the built-in simulator. */
  scenarios: string[];
  /** Browser mode's listen address (default 127.0.0.1). */
  listen: string;
  /** Names clients use to reach a non-loopback listen; the Host header must be one of them. */
  hostNames: string[];
  /** TLS for browser mode (HTTPS + WSS); required for a non-loopback listen. */
  tls: { cert: string; key: string } | null;
}

export class UsageError extends Error {}

export const usage = `Usage: npm start -- [options]
  --browser            serve the console in a browser (default when Electron's runtime is absent)
  --port N             browser-mode port (default 8765; 0 picks a free one)
  --listen HOST        browser-mode listen address (default 127.0.0.1); beyond loopback it needs
                       --tls-cert and --tls-key, and every console must sign in before it sees the plant
  --host-name NAME     a name clients use to reach the console (repeatable; needed with --listen 0.0.0.0)
  --tls-cert FILE      PEM certificate (chain) for HTTPS + WSS
  --tls-key FILE       PEM private key of that certificate
  --config FILE        station config (default resources/station.yaml, which matches the simulator)
  --data DIR           data directory: archive, journal, PKI (default ~/.local/share/vigil)
  --no-simulator       do not start the built-in OPC UA simulator
  --simulator          start it even with --config
  --simulator-port N   simulator port (default 4840)
  --seed N             simulator seed (default 1)
  --scenario S         start the built-in simulator with a scenario, e.g. overfill:Area1.TK101 (repeatable)
  --kiosk              Electron: full-screen kiosk window for control-room screens
  --log-level LEVEL    trace|debug|info|warn|error (default info)`;

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const defaultConfigFile = join(repoRoot, 'resources', 'station.yaml');

export function defaultDataDir(): string {
  if (process.platform === 'win32') return join(process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'Vigil');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'vigil');
}

const options = {
  browser: { type: 'boolean', default: false },
  port: { type: 'string', default: '8765' },
  config: { type: 'string' },
  data: { type: 'string' },
  simulator: { type: 'boolean' },
  'simulator-port': { type: 'string', default: '4840' },
  seed: { type: 'string', default: '1' },
  scenario: { type: 'string', multiple: true, default: [] as string[] },
  kiosk: { type: 'boolean', default: false },
  'log-level': { type: 'string', default: process.env.VIGIL_LOG_LEVEL ?? 'info' },
  listen: { type: 'string', default: '127.0.0.1' },
  'host-name': { type: 'string', multiple: true, default: [] as string[] },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  help: { type: 'boolean', default: false },
} as const satisfies ParseArgsConfig['options'];

/**
 * Electron and Chromium put switches of their own on the command line
 * (--no-sandbox, --disable-gpu, --enable-logging=file): the shell keeps ours
 * and leaves theirs to Chromium instead of refusing to start.
 */
export function splitForeignSwitches(argv: readonly string[]): { ours: string[]; foreign: string[] } {
  const ours: string[] = [];
  const foreign: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = /^--(no-)?([^=]+)/.exec(arg)?.[2];
    if (name === undefined || Object.hasOwn(options, name)) {
      ours.push(arg);
      const takesValue = name !== undefined && options[name as keyof typeof options].type === 'string' && !arg.includes('=');
      if (takesValue && i + 1 < argv.length) ours.push(argv[++i]!);
    } else foreign.push(arg);
  }
  return { ours, foreign };
}

/** pino's levels: another word made the logger throw its own stack at start. */
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

function logLevel(v: string): string {
  if (!LOG_LEVELS.includes(v)) throw new UsageError(`--log-level: expected one of ${LOG_LEVELS.join(', ')}, got "${v}"`);
  return v;
}

export function parseStartArgs(argv: string[]): StartArgs {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, strict: true, allowNegative: true, options }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${usage}`);
  }
  if (values.help) throw new UsageError(usage);
  const customConfig = values.config !== undefined;
  return {
    browser: values.browser,
    port: int('--port', values.port, 0, 65535),
    config: resolve(values.config ?? defaultConfigFile),
    customConfig,
    data: resolve(values.data ?? defaultDataDir()),
    simulator: values.simulator ?? !customConfig,
    simulatorPort: int('--simulator-port', values['simulator-port'], 1, 65535),
    seed: int('--seed', values.seed, 0, 2 ** 32 - 1),
    kiosk: values.kiosk,
    logLevel: logLevel(values['log-level']),
    scenarios: scenarioArgs(values.scenario),
    ...listenArgs(values.listen, values['host-name'], values['tls-cert'], values['tls-key']),
  };
}

function scenarioArgs(list: string[]): string[] {
  for (const s of list) {
    if (!/^[A-Za-z]+:[A-Za-z0-9_.-]+$/.test(s)) throw new UsageError(`--scenario: expected name:target such as overfill:Area1.TK101, got "${s}"`);
  }
  return list;
}

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

const wildcard = (host: string) => host === '0.0.0.0' || host === '::' || host === '[::]';

/** A listen beyond loopback puts the console on the network: only with TLS, and only under names it knows. */
function listenArgs(listen: string, names: string[], cert: string | undefined, key: string | undefined): Pick<StartArgs, 'listen' | 'hostNames' | 'tls'> {
  if ((cert === undefined) !== (key === undefined)) throw new UsageError(`--tls-cert and --tls-key go together: got only ${cert ? '--tls-cert' : '--tls-key'}`);
  const tls = cert && key ? { cert: resolve(cert), key: resolve(key) } : null;
  for (const n of names) if (!/^[A-Za-z0-9.:[\]-]+$/.test(n)) throw new UsageError(`--host-name: expected a host name or address, got "${n}"`);
  if (!isLoopbackHost(listen)) {
    if (!tls) {
      throw new UsageError(
        `--listen ${listen}: refused: a console reachable beyond this machine must use TLS; give --tls-cert FILE and --tls-key FILE ` +
          `(or leave --listen out to serve on 127.0.0.1 only)`,
      );
    }
    if (wildcard(listen) && names.length === 0) {
      throw new UsageError(`--listen ${listen}: name the host names clients use with --host-name NAME (browsers send it, and other names are refused)`);
    }
  }
  const bracket = (n: string) => (n.includes(':') && !n.startsWith('[') ? `[${n}]` : n);
  const hostNames = [...new Set([...(wildcard(listen) || isLoopbackHost(listen) ? [] : [listen]), ...names].map(bracket))];
  return { listen, hostNames, tls };
}

function int(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new UsageError(`${flag}: expected an integer from ${min} to ${max}, got "${text}"`);
  return n;
}
