import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { parseStartArgs, UsageError } from './args.js';

/** The default config is the repository's resources/station.yaml, found from this file, not from args.ts. */
const defaultConfig = fileURLToPath(new URL('../../resources/station.yaml', import.meta.url));

describe('start flags', () => {
  it('defaults: default config, simulator on, port 8765', () => {
    const a = parseStartArgs([]);
    expect(a).toMatchObject({ browser: false, port: 8765, config: defaultConfig, customConfig: false, simulator: true, simulatorPort: 4840 });
  });

  it('--config turns the simulator off unless asked for', () => {
    expect(parseStartArgs(['--config', 'site.yaml']).simulator).toBe(false);
    expect(parseStartArgs(['--config', 'site.yaml', '--simulator']).simulator).toBe(true);
    expect(parseStartArgs(['--no-simulator']).simulator).toBe(false);
  });

  it('reads --browser --port --data --kiosk', () => {
    const a = parseStartArgs(['--browser', '--port', '0', '--data', '/tmp/v', '--kiosk']);
    expect(a).toMatchObject({ browser: true, port: 0, data: '/tmp/v', kiosk: true });
  });

  it('rejects bad values and unknown flags with what was expected', () => {
    expect(() => parseStartArgs(['--port', 'eighty'])).toThrow(/--port: expected an integer from 0 to 65535, got "eighty"/);
    expect(() => parseStartArgs(['--port', '70000'])).toThrow(UsageError);
    expect(() => parseStartArgs(['--frobnicate'])).toThrow(/Unknown option '--frobnicate'/);
    expect(() => parseStartArgs(['--log-level', 'verbose'])).toThrow('--log-level: expected one of trace, debug, info, warn, error, fatal, silent, got "verbose"');
    expect(parseStartArgs(['--log-level', 'warn']).logLevel).toBe('warn');
  });

  it('serves 127.0.0.1 by default; a listen beyond loopback is refused without TLS, naming what to give', () => {
    expect(parseStartArgs([])).toMatchObject({ listen: '127.0.0.1', hostNames: [], tls: null });
    expect(() => parseStartArgs(['--listen', '0.0.0.0'])).toThrow(
      '--listen 0.0.0.0: refused: a console reachable beyond this machine must use TLS; give --tls-cert FILE and --tls-key FILE (or leave --listen out to serve on 127.0.0.1 only)',
    );
    expect(() => parseStartArgs(['--listen', '10.0.0.5'])).toThrow(UsageError);
    expect(() => parseStartArgs(['--listen', 'localhost'])).not.toThrow();
    expect(() => parseStartArgs(['--tls-cert', 'c.pem'])).toThrow('--tls-cert and --tls-key go together: got only --tls-cert');
  });

  it('with TLS, a named listen becomes an allowed host name; a wildcard needs --host-name', () => {
    const tls = ['--tls-cert', 'c.pem', '--tls-key', 'k.pem'];
    expect(parseStartArgs(['--listen', 'station7.plant.example', ...tls])).toMatchObject({ listen: 'station7.plant.example', hostNames: ['station7.plant.example'] });
    expect(parseStartArgs(['--listen', 'fd00::5', ...tls]).hostNames).toEqual(['[fd00::5]']);
    expect(() => parseStartArgs(['--listen', '0.0.0.0', ...tls])).toThrow(/--listen 0.0.0.0: name the host names clients use with --host-name NAME/);
    expect(parseStartArgs(['--listen', '0.0.0.0', '--host-name', 'station7', '--host-name', '10.0.0.5', ...tls])).toMatchObject({ hostNames: ['station7', '10.0.0.5'] });
  });
});

describe('Electron command line', () => {
  it('leaves Chromium switches to Chromium and keeps ours with their values', async () => {
    const { splitForeignSwitches } = await import('./args.js');
    expect(splitForeignSwitches(['--no-sandbox', '--port', '9000', '--disable-gpu', '--kiosk', '--enable-logging=file', '--data=/tmp/x'])).toEqual({
      ours: ['--port', '9000', '--kiosk', '--data=/tmp/x'],
      foreign: ['--no-sandbox', '--disable-gpu', '--enable-logging=file'],
    });
  });

  it('passes simulator scenarios through, and says what a scenario looks like', async () => {
    const { parseStartArgs, UsageError } = await import('./args.js');
    expect(parseStartArgs(['--scenario', 'overfill:Area1.TK101', '--scenario', 'gasLeak:Area2']).scenarios).toEqual(['overfill:Area1.TK101', 'gasLeak:Area2']);
    expect(() => parseStartArgs(['--scenario', 'overfill'])).toThrow(UsageError);
    expect(() => parseStartArgs(['--scenario', 'overfill'])).toThrow('expected name:target');
  });
});
