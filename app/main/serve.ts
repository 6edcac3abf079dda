/**
 * Browser mode: the same station as the Electron shell, its console served
 * on 127.0.0.1 over HTTP + WebSocket, or beyond loopback over HTTPS + WSS
 * where every console signs in before it sees the plant.
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { repoRoot, type StartArgs } from './args.js';
import { startBrowserServer } from './api/browser-server.js';
import { bootStation, type BootOptions, type RunningStation } from './station/boot.js';
import type { Logger } from './log.js';
import type { TrendsModule } from './trends/module.js';
import type { AccountsModule } from './accounts/module.js';

export const rendererDir = join(repoRoot, 'dist', 'renderer');

export async function serveBrowserMode(
  args: StartArgs,
  logger: Logger,
  /** Runs once the station started, before the console is served (tests install sessions here). */
  ready?: (station: RunningStation['station']) => void,
  boot: BootOptions = {},
): Promise<{ url: string; stop(): Promise<void> }> {
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`the console is not built: ${join(rendererDir, 'index.html')} is missing (run \`npm run build\`)`);
  }
  const running = await bootStation(args, 'browser', logger, boot);
  try {
    ready?.(running.station);
    const server = await startBrowserServer({
      port: args.port,
      rendererDir,
      dispatcher: running.station.dispatcher,
      events: running.station.events,
      logger,
      host: args.listen,
      hostNames: args.hostNames,
      tls: args.tls,
      routes: [running.station.module<TrendsModule>('trends')?.downloads].filter((r) => r !== undefined),
      audit: running.station.module<AccountsModule>('accounts')?.audit,
    });
    return {
      url: server.url,
      async stop() {
        await server.close();
        await running.stop();
      },
    };
  } catch (err) {
    await running.stop();
    throw err;
  }
}
