/**
 * The Electron window's security settings and trust checks, as plain data
 * and pure functions so that a unit test can assert them without Electron's
 * runtime (Electron security checklist: context isolation, sandbox, no Node
 * in the renderer, a custom protocol instead of file://, a strict CSP, no
 * navigation, no new windows, no permissions, checked IPC senders).
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import { extname, normalize, resolve, sep } from 'node:path';

/** The console is served from app://vigil/, a secure standard scheme of its own, never file://. */
export const appScheme = 'app';
export const appOrigin = `${appScheme}://vigil`;
export const indexUrl = `${appOrigin}/index.html`;

/**
 * Electron's CSP: the console talks to the station over IPC only, so no
 * network at all (browser mode adds its own WebSocket in its own header).
 */
export const electronCsp =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; " +
  "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function windowOptions(preload: string, kiosk: boolean, devTools = false): BrowserWindowConstructorOptions {
  return {
    width: 1600,
    height: 900,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'Vigil',
    backgroundColor: '#2b2b2b',
    autoHideMenuBar: true,
    kiosk,
    fullscreen: kiosk,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools,
      // The alarm horn must sound without waiting for a click: a control room is unattended at times.
      autoplayPolicy: 'no-user-gesture-required',
    },
  };
}

/** IPC is answered only for our own page, app://vigil/index.html (any #/page). */
export function isTrustedSender(senderUrl: string | undefined): boolean {
  if (!senderUrl) return false;
  try {
    const sender = new URL(senderUrl);
    return sender.protocol === `${appScheme}:` && sender.host === 'vigil' && sender.pathname === '/index.html';
  } catch {
    return false; // an unparsable URL is not ours
  }
}

/** Any navigation or redirect away from the console is refused (links, drag and drop, window.location). */
export function allowNavigation(targetUrl: string): boolean {
  return isTrustedSender(targetUrl);
}

/** The renderer file an app:// request names, or null when it names anything outside the renderer folder. */
export function fileForAppUrl(url: string, rendererDir: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${appScheme}:` || parsed.host !== 'vigil') return null;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  const root = resolve(rendererDir);
  const file = normalize(resolve(root, `.${path === '/' ? '/index.html' : path}`));
  return file.startsWith(root + sep) ? file : null;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wav': 'audio/wav',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export function contentTypeOf(file: string): string {
  return contentTypes[extname(file)] ?? 'application/octet-stream';
}
