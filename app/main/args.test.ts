import { describe, expect, it } from 'vitest';
import { defaultConfigFile, parseStartArgs, UsageError } from './args.js';

describe('start flags', () => {
  it('defaults: default config, simulator on, port 8765', () => {
    const a = parseStartArgs([]);
    expect(a).toMatchObject({ browser: false, port: 8765, config: defaultConfigFile, customConfig: false, simulator: true, simulatorPort: 4840 });
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
