/**
 * The simulator's tank 101 level as the console knows it, on a connected server: the tag the
 * value-view, frozen-span and readout tests describe (one definition, not a copy in each).
 */
import type { ServerState, TagInfo } from '../../../shared/api.js';
import type { Liveness } from '../value-view.js';

export const level: TagInfo = {
  name: 'Area1.TK101.Level', description: 'Tank 101 level', unit: 'm', range: [0, 20], kind: 'analog',
  area: 'Area1', equipment: 'TK101', role: 'level', server: 'sim', nodeId: 'ns=1;s=Area1.TK101.Level', decimals: null, dataType: null,
};
export const server: ServerState = { id: 'sim', endpoint: 'opc.tcp://127.0.0.1:4840/vigil', state: 'connected', since: 0, lastError: null };
/** The console's link and the tag's server both up. */
export const up: Liveness = { link: 'connected', server };
