/**
 * The console API's trend history over a real archive, as the console calls it: the station's
 * HistoryService registered with a dispatcher, every answer through JSON (what the WebSocket
 * carries). For tests of the console's loading (TrendData) against what the archive holds.
 */
import type { Historian } from '../../../../historian/index.js';
import { Dispatcher } from '../../api/dispatcher.js';
import { internalConnection } from '../../api/connection.js';
import { silentLogger } from '../../log.js';
import type { TrendData } from '../../../renderer/lib/trends/data.js';
import { HistoryService } from '../history.js';

export function historyApi(h: Historian): ConstructorParameters<typeof TrendData>[0] {
  const d = new Dispatcher(silentLogger());
  const history = new HistoryService(h);
  d.register('trends', { 'history.plot': (p) => history.plot(p), 'history.raw': (p) => history.raw(p) });
  const conn = internalConnection();
  return {
    call: async (method: string, params: unknown) => {
      const res = JSON.parse(JSON.stringify(await d.dispatch(method, params, conn))) as { ok: boolean; result?: unknown; error?: unknown };
      if (!res.ok) throw new Error(`${method}: ${JSON.stringify(res.error)}`);
      return res.result;
    },
  } as unknown as ConstructorParameters<typeof TrendData>[0];
}
