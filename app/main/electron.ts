/**
 * Electron entry: a window, IPC wiring, single-instance lock. Thin by
 * design: the station and all behaviour are the same code browser mode runs;
 * what is here is the Electron security checklist (shell/window-policy.ts).
 */
import {
  app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, session, utilityProcess, type IpcMainInvokeEvent,
} from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseStartArgs, repoRoot, splitForeignSwitches } from './args.js';
import { createLogger } from './log.js';
import { bootStation, type RunningStation } from './station/boot.js';
import type { SimulatorLauncher } from './station/simulator-process.js';
import { PARENT_ENV } from '../../simulator/parent-watch.js';
import {
  allowNavigation, appScheme, contentTypeOf, electronCsp, fileForAppUrl, indexUrl, isTrustedSender, windowOptions,
} from './shell/window-policy.js';
import { ipcChannels } from '../shared/ipc.js';
import type { ApiResponse } from '../shared/api.js';
import { TransportConnection } from './api/connection.js';
import { installFatalHandlers } from './fatal.js';
import { relaunchArgs, startDelayMs, takeRestartNote } from './shell/crash-relaunch.js';

const startedAt = Date.now();
// A relaunch after a fault carries its note (shell/crash-relaunch.ts): taken off before the flags are read.
const { argv: launchArgv, carried } = takeRestartNote(process.argv);
// Chromium's own switches (--no-sandbox, --disable-gpu, ...) are Chromium's business, not a usage error.
const { ours, foreign } = splitForeignSwitches(launchArgv.slice(app.isPackaged ? 1 : 2));
const rendererDir = join(repoRoot, 'dist', 'renderer');
let running: RunningStation | null = null;
let window: BrowserWindow | null = null;

// Before ready: app:// is a secure standard scheme (own origin, fetch allowed), so file:// is never used.
protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

try {
  const args = parseStartArgs(ours);
  const logger = createLogger({ level: args.logLevel, name: 'vigil-electron' });
  // A fault in this process (the station's) is logged fatal, and the app relaunches itself with the
  // note, instead of Electron's modal dialog over a station in a state nobody knows.
  installFatalHandlers({
    logger,
    exit: (code, detail) => {
      app.relaunch({ args: relaunchArgs(process.argv.slice(1), carried, detail, startedAt, Date.now()) });
      app.exit(code);
    },
  });
  if (foreign.length > 0) logger.info({ switches: foreign }, 'command-line switches left to Chromium');
  main(args, logger);
} catch (err) {
  // A bad flag: say so in a dialog, the way a desktop user will see it.
  void app.whenReady().then(() => fatal(err));
}

function main(args: ReturnType<typeof parseStartArgs>, logger: ReturnType<typeof createLogger>): void {
  if (!app.requestSingleInstanceLock()) {
    // One console per control-room PC: a second start focuses the first.
    app.quit();
    return;
  }
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.on('web-contents-created', (_event, contents) => {
    const refuse = (event: { preventDefault(): void }, url: string) => {
      if (!allowNavigation(url)) {
        event.preventDefault();
        logger.warn({ url }, 'navigation refused');
      }
    };
    contents.on('will-navigate', (event, url) => refuse(event, url));
    contents.on('will-redirect', (event, url) => refuse(event, url));
    contents.on('will-frame-navigate', (event) => refuse(event, event.url));
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  // After a fault: the pause a run of faults calls for, then the station, told why it restarts.
  const delay = startDelayMs(carried);
  if (carried) logger.warn({ faultAt: new Date(carried.note.at).toISOString(), cause: carried.note.detail, startInMs: delay }, 'relaunched after a fault');
  // A refused start (bad config, locked archive) is shown in a dialog, not taken for a fault and relaunched.
  app.whenReady().then(() => new Promise((r) => setTimeout(r, delay))).then(() => start(args, logger)).catch(fatal);
  app.on('window-all-closed', () => app.quit());
  // Quit waits for the station: the archive writes what compressors hold and closes cleanly.
  let stopping = false;
  app.on('before-quit', (event) => {
    if (!running || stopping) return;
    event.preventDefault();
    stopping = true;
    running.stop().then(
      () => app.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error while stopping');
        app.exit(1);
      },
    );
  });
}

async function start(args: ReturnType<typeof parseStartArgs>, logger: ReturnType<typeof createLogger>): Promise<void> {
  // No menu: no reload, no DevTools, nothing an operator can trip over (kiosk or not).
  Menu.setApplicationMenu(null);
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  protocol.handle(appScheme, async (request) => {
    const file = fileForAppUrl(request.url, rendererDir);
    if (!file) return new Response('not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).href);
    const headers = new Headers(res.headers);
    headers.set('content-type', contentTypeOf(file));
    headers.set('content-security-policy', electronCsp);
    headers.set('x-content-type-options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });

  // The shell only asks where to save; the station writes the file (app/main/trends/export).
  running = await bootStation(args, 'electron', logger, {
    launchSimulator: utilityLauncher,
    restart: carried?.note ?? null,
    saveDialog: async (suggestedName) => {
      const options = { defaultPath: suggestedName, filters: [{ name: 'CSV', extensions: ['csv'] }] };
      const r = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  });
  const { station } = running;
  // The window is one connection: whoever signs in at it is the caller of every request it makes.
  const connection = new TransportConnection('ipc', 'window', true, (name, data) => {
    if (window && !window.webContents.isDestroyed()) window.webContents.send(ipcChannels.event, name, data);
  });
  ipcMain.handle(ipcChannels.call, async (event: IpcMainInvokeEvent, method: unknown, params: unknown): Promise<ApiResponse<unknown>> => {
    if (!isTrustedSender(event.senderFrame?.url)) {
      logger.warn({ sender: event.senderFrame?.url }, 'IPC from an untrusted sender refused');
      return { ok: false, error: { code: 'bad_request', message: 'untrusted sender' } };
    }
    return station.dispatcher.dispatch(String(method), params, connection);
  });
  window = new BrowserWindow(windowOptions(join(repoRoot, 'dist', 'preload', 'preload.cjs'), args.kiosk, !app.isPackaged));
  const contents = window.webContents;
  const unsubscribe = station.events.subscribe((name, data) => {
    if (!contents.isDestroyed()) contents.send(ipcChannels.event, name, data);
  });
  window.on('closed', () => {
    unsubscribe();
    connection.close();
    window = null;
  });
  window.once('ready-to-show', () => window?.show());
  await window.loadURL(indexUrl);
}

/** The simulator in an Electron utility process: no ELECTRON_RUN_AS_NODE, which the RunAsNode fuse forbids. */
const utilityLauncher: SimulatorLauncher = (args) => {
  // Named as its parent: a console killed takes its simulator with it (simulator/parent-watch.ts).
  const child = utilityProcess.fork(join(repoRoot, 'dist', 'simulator', 'cli.cjs'), args, {
    stdio: 'pipe', serviceName: 'Vigil simulator', env: { ...process.env, [PARENT_ENV]: String(process.pid) },
  });
  return {
    get pid() {
      return child.pid;
    },
    stdout: child.stdout,
    stderr: child.stderr,
    kill: () => void child.kill(),
    onExit: (listener) => void child.once('exit', (code) => listener(code, null)),
  };
};

/** A failed start (bad config, locked archive, bad flag) is shown, never a silent exit. */
function fatal(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`vigil: ${message}\n`);
  dialog.showErrorBox('Vigil cannot start', message);
  app.exit(1);
}
