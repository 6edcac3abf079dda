/**
 * The renderer's ConsoleApi: over the Electron preload bridge when present,
 * otherwise over WebSocket (browser mode) with reconnect and backoff.
 */
import type { VigilBridge } from '../../shared/api.js';
import type { ApiClient } from './api-base.js';
import { BridgeClient } from './bridge-client.js';
import { WsClient } from './ws-client.js';

export { ApiCallError, type ApiClient, type LinkState } from './api-base.js';
export { BridgeClient } from './bridge-client.js';
export { WsClient, type SocketLike, type WsClientOptions } from './ws-client.js';

/** The bridge when the preload set one, else WebSocket to the page's own host. */
export function createApiClient(): ApiClient {
  const bridge = (globalThis as { vigil?: VigilBridge }).vigil;
  const reportError = (err: Error) => console.error(err);
  if (bridge) return new BridgeClient(bridge, reportError);
  // session.current is answered before sign-in, so a console at the sign-in page probes without being refused.
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return new WsClient({ url: `${scheme}://${location.host}/api`, reportError, probeMethod: 'session.current' });
}
