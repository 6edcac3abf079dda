import type { ApiResponse, VigilBridge } from '../../shared/api.js';
import { BaseClient } from './api-base.js';

/** Electron: the preload's bridge; IPC does not drop, so the link is up from the start. */
export class BridgeClient extends BaseClient {
  private readonly off: () => void;

  constructor(
    private readonly bridge: VigilBridge,
    reportError: (err: Error) => void,
  ) {
    super(reportError);
    this.off = bridge.on((name, data) => this.dispatchEvent(name, data));
    queueMicrotask(() => this.setLink('connected'));
  }

  protected send(method: string, params: unknown): Promise<ApiResponse<unknown>> {
    return this.bridge.call(method, params);
  }

  close(): void {
    this.off();
    this.setLink('down');
  }
}
