/**
 * Electron entry: a window, IPC wiring, single-instance lock. Thin by
 * design: the station and all behaviour are the same code browser mode runs.
 */
import { app, BrowserWindow, dialog, ipcMain, session, type IpcMainInvokeEvent } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseStartArgs, repoRoot } from './args.js';
import { createLogger } from './log.js';
import { bootStation, type RunningStation } from './station/boot.js';
import { allowNavigation, isTrustedSender, windowOptions } from './shell/window-policy.js';
import { ipcChannels } from '../shared/ipc.js';
import { TransportConnection } from './api/connection.js';
import type { ApiResponse } from '../shared/api.js';

const args = parseStartArgs(process.argv.slice(app.isPackaged ? 1 : 2));
const logger = createLogger({ level: args.logLevel, name: 'vigil-electron' });
const indexFile = join(repoRoot, 'dist', 'renderer', 'index.html');
const indexUrl = pathToFileURL(indexFile).href;
let running: RunningStation | null = null;
let window: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  // One console per control-room PC: a second start focuses the first.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!allowNavigation(url, indexUrl)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  app.whenReady().then(start, fatal);
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

async function start(): Promise<void> {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  // The shell only asks where to save; the station writes the file (app/main/trends/export).
  running = await bootStation(args, 'electron', logger, {
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
    if (!isTrustedSender(event.senderFrame?.url, indexUrl)) {
      logger.warn({ sender: event.senderFrame?.url }, 'IPC from an untrusted sender refused');
      return { ok: false, error: { code: 'bad_request', message: 'untrusted sender' } };
    }
    return station.dispatcher.dispatch(String(method), params, connection);
  });
  window = new BrowserWindow(windowOptions(join(repoRoot, 'dist', 'preload', 'preload.cjs'), args.kiosk));
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
  await window.loadFile(indexFile);
}

function fatal(err: unknown): void {
  logger.fatal({ err }, 'cannot start');
  process.stderr.write(`vigil: ${(err as Error).message}\n`);
  app.exit(1);
}
