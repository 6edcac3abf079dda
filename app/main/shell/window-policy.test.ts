import { describe, expect, it } from 'vitest';
import { allowNavigation, isTrustedSender, windowOptions } from './window-policy.js';

const index = 'file:///opt/vigil/resources/app.asar/dist/renderer/index.html';

describe('Electron window security', () => {
  it('isolates the renderer from Node and Electron', () => {
    const prefs = windowOptions('/opt/vigil/dist/preload/preload.cjs', false).webPreferences;
    expect(prefs).toMatchObject({
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
    });
    expect(prefs?.preload).toBe('/opt/vigil/dist/preload/preload.cjs');
  });

  it('kiosk mode is full screen, normal mode is not', () => {
    expect(windowOptions('p', true)).toMatchObject({ kiosk: true, fullscreen: true });
    expect(windowOptions('p', false)).toMatchObject({ kiosk: false, fullscreen: false });
  });

  it('answers IPC only from the console page itself', () => {
    expect(isTrustedSender(index, index)).toBe(true);
    expect(isTrustedSender(`${index}#/trends`, index)).toBe(true);
    expect(isTrustedSender('https://evil.example/index.html', index)).toBe(false);
    expect(isTrustedSender('file:///tmp/index.html', index)).toBe(false);
    expect(isTrustedSender('http://127.0.0.1:8765/', index)).toBe(false);
    expect(isTrustedSender(undefined, index)).toBe(false);
    expect(isTrustedSender('not a url', index)).toBe(false);
  });

  it('blocks navigation away from the console', () => {
    expect(allowNavigation('https://example.com/', index)).toBe(false);
    expect(allowNavigation('file:///etc/passwd', index)).toBe(false);
    expect(allowNavigation(index, index)).toBe(true);
  });
});
