/**
 * Where a server password comes from: never the config file. Either an
 * environment variable the config names, or the operating system's keychain:
 *   - Linux: the Secret Service (GNOME Keyring, KWallet) through `secret-tool`
 *     (package libsecret-tools): `secret-tool store --label=Vigil service S account A`;
 *   - macOS: the login keychain through `security find-generic-password`;
 *   - Windows: not supported (no keychain tool ships with Windows): use an
 *     environment variable set for the service account.
 * The password is read at each connection (a rotated secret is picked up at
 * the next reconnect) and never logged.
 */
import { execFile } from 'node:child_process';
import type { ServerConfig } from '../../shared/config.js';

type PasswordSource = Extract<ServerConfig['identity'], { kind: 'userName' }>['password'];

export class SecretError extends Error {}

export async function readPassword(source: PasswordSource, env: NodeJS.ProcessEnv = process.env, platform = process.platform): Promise<string> {
  if ('env' in source) {
    const value = env[source.env];
    if (value === undefined || value === '') throw new SecretError(`environment variable ${source.env} (the server password) is not set`);
    return value;
  }
  const { service, account } = source.keychain;
  const [file, args] =
    platform === 'darwin' ? ['security', ['find-generic-password', '-s', service, '-a', account, '-w']]
    : platform === 'win32' ? [null, []]
    : ['secret-tool', ['lookup', 'service', service, 'account', account]];
  if (file === null) throw new SecretError('the OS keychain is not supported on Windows: name an environment variable (password: { env: NAME }) instead');
  const out = await run(file, args as string[], env).catch((err: NodeJS.ErrnoException & { code?: unknown }) => {
    if (err.code === 'ENOENT') throw new SecretError(`cannot read the keychain: ${file} is not installed`);
    throw new SecretError(`no keychain entry for service "${service}" account "${account}" (${file} failed)`);
  });
  const password = out.replace(/\r?\n$/, '');
  if (password === '') throw new SecretError(`the keychain entry for service "${service}" account "${account}" is empty`);
  return password;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: 10_000, maxBuffer: 64 * 1024 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}
