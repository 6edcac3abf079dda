/**
 * The Electron IPC surface, kept free of runtime dependencies because the
 * sandboxed preload bundles it.
 */
import type { ApiResponse } from './api.js';

/** What the preload exposes as window.vigil: an untyped transport; the renderer's client adds the types. */
export interface VigilBridge {
  call(method: string, params: unknown): Promise<ApiResponse<unknown>>;
  on(listener: (name: string, data: unknown) => void): () => void;
}

export const ipcChannels = { call: 'vigil:call', event: 'vigil:event' } as const;
