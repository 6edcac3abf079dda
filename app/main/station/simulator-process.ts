/**
 * The built-in simulator runs as a child process, not inside the station:
 * the station then meets it exactly as it meets a real SIS (over a socket
 * that can die), and an operator or a test can stop it to see what a lost
 * server looks like. If it dies on its own it is started again on the same
 * port after a short pause, so a demo plant does not stay dark.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Logger } from '../log.js';
import { repoRoot } from '../args.js';
import { portInUseText, StartRefusal } from '../start-refusal.js';
import { PARENT_ENV } from '../../../simulator/parent-watch.js';

export interface SimulatorProcess {
  endpoint: string;
  /** The pid of the simulator running now. */
  readonly pid: number;
  stop(): Promise<void>;
}

/** What the supervisor needs of a child: Node's ChildProcess, or an adapter over Electron's utilityProcess. */
export interface SimulatorChild {
  readonly pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  kill(signal?: NodeJS.Signals): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
}

/** Starts the simulator with these arguments. */
export type SimulatorLauncher = (args: string[]) => SimulatorChild;

// Built (`npm start` runs dist/main/start.cjs), the simulator's bundle beside it; from sources, simulator/cli.ts.
const built = !import.meta.url.endsWith('.ts');

/** The simulator as a Node child: its bundle when the station is built, else its sources with tsx. */
export const nodeLauncher: SimulatorLauncher = (args) => {
  // Under tsx the loader is in execArgv already; elsewhere (a test runner) ask for it.
  const loader = process.execArgv.some((a) => a.includes('tsx')) ? process.execArgv : ['--import', 'tsx'];
  const command = built ? [join(repoRoot, 'dist', 'simulator', 'cli.cjs')] : [...loader, join(repoRoot, 'simulator', 'cli.ts')];
  const child = spawn(process.execPath, [...command, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // The simulator ends when this process dies without running its exit handlers (kill -9): simulator/parent-watch.ts.
    env: { ...process.env, [PARENT_ENV]: String(process.pid) },
  });
  return {
    get pid() {
      return child.pid;
    },
    stdout: child.stdout,
    stderr: child.stderr,
    kill: (signal) => void child.kill(signal),
    onExit: (listener) => void child.once('exit', (code, signal) => listener(code, signal)),
  };
};

/** The simulator's port is taken: a condition of the machine, said without a stack trace. */
export class SimulatorPortInUseError extends StartRefusal {
  constructor(readonly address: string) {
    super(portInUseText('the built-in simulator', address, 'another OPC UA server', '--simulator-port N (another port)'));
    this.name = 'SimulatorPortInUseError';
  }
}

export interface SimulatorOptions {
  port: number;
  seed: number;
  logger: Logger;
  timeoutMs?: number;
  /** Extra simulator flags (e.g. --scenario overfill:Area1.TK101). */
  extraArgs?: string[];
  launch?: SimulatorLauncher;
  /** Pause before starting a simulator that died (ms). */
  restartDelayMs?: number;
}

export async function startSimulatorProcess(opts: SimulatorOptions): Promise<SimulatorProcess> {
  const launch = opts.launch ?? nodeLauncher;
  const args = ['--port', String(opts.port), '--seed', String(opts.seed), ...(opts.extraArgs ?? [])];
  let stopping = false;
  let restartTimer: NodeJS.Timeout | null = null;
  let current = await startOnce(launch, args, opts);

  const supervise = (run: Running) => {
    run.exited.then(({ code, signal }) => {
      if (stopping) return;
      const delay = opts.restartDelayMs ?? 2000;
      opts.logger.warn({ code, signal, restartInMs: delay }, 'simulator exited; starting it again');
      restartTimer = setTimeout(() => {
        // The same port: the station reconnects to the same endpoint by itself.
        startOnce(launch, ['--port', String(portOf(current.endpoint) ?? opts.port), ...args.slice(2)], opts).then(
          (next) => {
            if (stopping) return void next.stop();
            current = next;
            supervise(next);
          },
          (err: unknown) => opts.logger.error({ err }, 'the simulator could not be started again; the plant stays dark until the console restarts'),
        );
      }, delay);
    });
  };
  supervise(current);

  return {
    endpoint: current.endpoint,
    get pid() {
      return current.pid;
    },
    async stop() {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      await current.stop();
    },
  };
}

interface Running {
  endpoint: string;
  pid: number;
  exited: Promise<{ code: number | null; signal: string | null }>;
  stop(): Promise<void>;
}

function portOf(endpoint: string): number | null {
  const m = /:(\d+)(\/|$)/.exec(endpoint.replace('opc.tcp://', ''));
  return m ? Number(m[1]) : null;
}

function startOnce(launch: SimulatorLauncher, args: string[], opts: SimulatorOptions): Promise<Running> {
  const child = launch(args);
  let resolveExit!: (v: { code: number | null; signal: string | null }) => void;
  const exited = new Promise<{ code: number | null; signal: string | null }>((r) => (resolveExit = r));
  let done = false;
  child.onExit((code, signal) => {
    done = true;
    resolveExit({ code, signal });
  });
  // The simulator must not outlive the console, whichever way the console ends.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  const stop = async () => {
    if (done) return;
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.kill('SIGTERM');
    await exited;
    clearTimeout(force);
  };

  return new Promise((resolve, reject) => {
    let output = '';
    const timeoutMs = opts.timeoutMs ?? 120_000;
    const timer = setTimeout(() => fail(new Error(`simulator did not report its endpoint within ${timeoutMs} ms`)), timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      const inUse = /EADDRINUSE[^\n]*?([\d.:[\]a-f]+:(\d+))\s*$/m.exec(output);
      if (inUse) {
        // The usual cause (a second console, another OPC UA server): say what to do, not a stack trace.
        reject(new SimulatorPortInUseError(inUse[1]!));
        return;
      }
      reject(new Error(`${err.message}\n${output.slice(-2000)}`));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /opc\.tcp:\/\/[^\s"']+/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stdout?.on('data', (c: Buffer) => opts.logger.debug({ simulator: c.toString().trim() }, 'simulator output'));
      opts.logger.info({ endpoint: match[0], pid: child.pid }, 'simulator started');
      resolve({ endpoint: match[0], pid: child.pid ?? -1, exited, stop });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => {
      output += c.toString();
      opts.logger.debug({ simulator: c.toString().trim() }, 'simulator log');
    });
    void exited.then(({ code, signal }) => {
      if (!/opc\.tcp:\/\//.test(output)) fail(new Error(`simulator exited (code ${code}, signal ${signal}) before it was ready`));
    });
  });
}

/** The simulator's own certificate when it runs with --pki-dir DIR (node-opcua's layout under DIR/PKI). */
export const simulatorCertificate = (pkiDir: string): string => join(pkiDir, 'PKI', 'own', 'certs', 'certificate.pem');
