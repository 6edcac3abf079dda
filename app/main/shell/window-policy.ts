/**
 * The Electron window's security settings and trust checks, as plain data
 * and pure functions so that a unit test can assert them without Electron's
 * runtime (Electron security checklist: context isolation, sandbox, no Node
 * in the renderer, no navigation, no new windows, checked IPC senders).
 */
import type { BrowserWindowConstructorOptions } from 'electron';

export function windowOptions(preload: string, kiosk: boolean): BrowserWindowConstructorOptions {
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
    },
  };
}

/** IPC is answered only for our own page: the packaged index.html, loaded from file://. */
export function isTrustedSender(senderUrl: string | undefined, indexUrl: string): boolean {
  if (!senderUrl) return false;
  try {
    const sender = new URL(senderUrl);
    const index = new URL(indexUrl);
    return sender.protocol === 'file:' && sender.protocol === index.protocol && sender.pathname === index.pathname;
  } catch {
    return false; // an unparsable URL is not ours
  }
}

/** Any navigation away from the console is refused (links, drag and drop, window.location). */
export function allowNavigation(targetUrl: string, indexUrl: string): boolean {
  return isTrustedSender(targetUrl, indexUrl);
}
