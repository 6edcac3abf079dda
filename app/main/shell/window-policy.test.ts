import { describe, expect, it } from 'vitest';
import { allowNavigation, electronCsp, fileForAppUrl, isTrustedSender, windowOptions } from './window-policy.js';

const index = 'app://vigil/index.html';

describe('Electron window security', () => {
  it('isolates the renderer from Node and Electron, without DevTools unless asked', () => {
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
      devTools: false,
    });
    expect(prefs?.preload).toBe('/opt/vigil/dist/preload/preload.cjs');
  });

  it('kiosk mode is full screen, normal mode is not', () => {
    expect(windowOptions('p', true)).toMatchObject({ kiosk: true, fullscreen: true });
    expect(windowOptions('p', false)).toMatchObject({ kiosk: false, fullscreen: false });
  });

  it('answers IPC only from the console page itself, served by its own scheme', () => {
    expect(isTrustedSender(index)).toBe(true);
    expect(isTrustedSender(`${index}#/trends`)).toBe(true);
    expect(isTrustedSender('app://other/index.html')).toBe(false);
    expect(isTrustedSender('file:///opt/vigil/dist/renderer/index.html')).toBe(false);
    expect(isTrustedSender('https://evil.example/index.html')).toBe(false);
    expect(isTrustedSender('http://127.0.0.1:8765/')).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
    expect(isTrustedSender('not a url')).toBe(false);
  });

  it('blocks navigation away from the console', () => {
    expect(allowNavigation('https://example.com/')).toBe(false);
    expect(allowNavigation('file:///etc/passwd')).toBe(false);
    expect(allowNavigation(index)).toBe(true);
  });

  it('serves only files inside the renderer folder', () => {
    expect(fileForAppUrl('app://vigil/index.html', '/opt/vigil/dist/renderer')).toBe('/opt/vigil/dist/renderer/index.html');
    expect(fileForAppUrl('app://vigil/', '/opt/vigil/dist/renderer')).toBe('/opt/vigil/dist/renderer/index.html');
    expect(fileForAppUrl('app://vigil/assets/a.js', '/opt/vigil/dist/renderer')).toBe('/opt/vigil/dist/renderer/assets/a.js');
    expect(fileForAppUrl('app://vigil/../../../etc/passwd', '/opt/vigil/dist/renderer')).toBe('/opt/vigil/dist/renderer/etc/passwd');
    expect(fileForAppUrl('app://vigil/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/opt/vigil/dist/renderer')).toBeNull();
    expect(fileForAppUrl('app://other/index.html', '/opt/vigil/dist/renderer')).toBeNull();
    expect(fileForAppUrl('file:///etc/passwd', '/opt/vigil/dist/renderer')).toBeNull();
  });

  it('the Electron CSP allows no network connection (the console talks over IPC)', () => {
    expect(electronCsp).not.toMatch(/ws:|wss:|http:/);
    expect(electronCsp).toContain("connect-src 'self'");
    expect(electronCsp).toContain("object-src 'none'");
  });
});
