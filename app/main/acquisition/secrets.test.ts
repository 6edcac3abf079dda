/** Server passwords: from an environment variable, or the OS keychain tool, never the config file. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPassword } from './secrets.js';

describe('server passwords', () => {
  let dir: string;
  beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'vigil-secrets-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads an environment variable, and names it when it is missing', async () => {
    await expect(readPassword({ env: 'SIS_PW' }, { SIS_PW: 'p4ss' })).resolves.toBe('p4ss');
    await expect(readPassword({ env: 'SIS_PW' }, {})).rejects.toThrow('environment variable SIS_PW (the server password) is not set');
  });

  it('asks the Linux Secret Service through secret-tool with the service and account', async () => {
    // A stand-in secret-tool (libsecret-tools is not installed here) that answers one entry, as the real one does.
    const tool = join(dir, 'secret-tool');
    writeFileSync(tool, '#!/bin/sh\n[ "$1 $2 $3 $4 $5" = "lookup service vigil-sis account operator" ] && printf "k3y\\n" && exit 0\nexit 1\n');
    chmodSync(tool, 0o755);
    const env = { PATH: `${dir}:/usr/bin:/bin` };
    await expect(readPassword({ keychain: { service: 'vigil-sis', account: 'operator' } }, env, 'linux')).resolves.toBe('k3y');
    await expect(readPassword({ keychain: { service: 'vigil-sis', account: 'nobody' } }, env, 'linux')).rejects.toThrow('no keychain entry for service "vigil-sis" account "nobody"');
  });

  it('says where the keychain is not supported, and when its tool is missing', async () => {
    await expect(readPassword({ keychain: { service: 's', account: 'a' } }, {}, 'win32')).rejects.toThrow('not supported on Windows');
    await expect(readPassword({ keychain: { service: 's', account: 'a' } }, { PATH: dir }, 'linux')).rejects.toThrow('secret-tool is not installed');
  });
});
