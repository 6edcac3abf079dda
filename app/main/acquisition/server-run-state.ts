/**
 * The server's own word on whether it serves the plant: ServerStatus/State (i=2259, Part 5 §12.6).
 * A server that is Failed, has NoConfiguration or is Suspended "does not transfer data" yet keeps
 * its session and answers every publish with a keep-alive: the watchdog sees a live server, and
 * the last values stood Good for as long as it stayed so (TwinCAT's server is Suspended until it has
 * booted completely, Failed on a bad configuration file; a gateway suspended for a download). Part 4
 * (Subscriptions): a Client should watch this State "to detect shutdown or other failure states".
 * Such a state is a loss of the server; a connection to it is refused until it runs again. Shutdown (with SecondsTillShutdown), CommunicationFault (its items say which values
 * are affected), Test and Unknown still deliver values, each with its own status: said, not lost.
 */
import { AttributeIds, ServerState as UaState, VariableIds, type ClientSession } from 'node-opcua-client';
import type { MessageRef } from '../../shared/api.js';

/** How often (ms) the live connection's ServerStatus/State is read: within the watchdog's default limit (3 s). Read when used; tests shorten it. */
export const stateCheck = { everyMs: 2000 };

export interface RunState {
  /** The state the server gave, null when it gave none usable (a Bad status, not an Int32 of the enumeration). */
  state: number | null;
  /** Its SourceTimestamp (ms, the server's clock), null when unset. */
  changedAt: number | null;
  /** SecondsTillShutdown (i=2992) when the state is Shutdown and the server gives it. */
  secondsTillShutdown: number | null;
}

/** The states whose server transfers no data (Part 5 §12.6): its values are not the plant's. */
const NO_DATA: ReadonlySet<number> = new Set([UaState.Failed, UaState.NoConfiguration, UaState.Suspended]);

export const noData = (state: number | null): boolean => state !== null && NO_DATA.has(state);

/** The enumeration's name of a state (Part 5 §12.6), or its number. */
export const stateName = (state: number): string => (UaState as unknown as Record<number, string | undefined>)[state] ?? String(state);

/** Why a server was lost or refused for its state, as the gap ledger and the log store it (a stable English cause). */
export const runStateCause = (state: number): string =>
  state === UaState.Shutdown ? 'the server reports ServerState Shutdown: it is shutting down' : `the server reports ServerState ${stateName(state)}: it transfers no data`;

/**
 * A standby not to switch or fail back to for its state: one that transfers no data, or one shutting
 * down (it goes within its SecondsTillShutdown; Part 5 §12.10: the state lets Clients leave in order).
 */
export const notStandby = (state: number | null): boolean => noData(state) || state === UaState.Shutdown;

/** A session to a server whose state says it transfers no data (or a standby shutting down): refused as a connection that failed, tried again. */
export class NotRunningError extends Error {
  /** The console's words for it (session.ts wordedOf). */
  readonly worded: MessageRef;
  constructor(readonly endpoint: string, readonly state: number) {
    super(`${runStateCause(state)} at ${endpoint}: not used`);
    this.worded = { key: 'acquisition.error.serverNotRunning', params: { endpoint, state: stateName(state) } };
  }
}

/**
 * ServerStatus/State (maxAge 0), and SecondsTillShutdown when it is Shutdown: read apart, so a server
 * allowing one node per Read (operation-limits.ts) answers the State, and one without the second
 * (an optional look) still gives its state.
 */
export async function readRunState(session: ClientSession): Promise<RunState> {
  const state = await session.read({ nodeId: `ns=0;i=${VariableIds.Server_ServerStatus_State}`, attributeId: AttributeIds.Value }, 0);
  const value: unknown = state.value?.value;
  if (!state.statusCode.isGood() || typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > UaState.Unknown) {
    return { state: null, changedAt: null, secondsTillShutdown: null };
  }
  const changed = state.sourceTimestamp?.getTime();
  return {
    state: value,
    changedAt: changed !== undefined && Number.isFinite(changed) && changed > 0 ? changed : null,
    secondsTillShutdown: value === UaState.Shutdown ? await readSecondsTillShutdown(session) : null,
  };
}

async function readSecondsTillShutdown(session: ClientSession): Promise<number | null> {
  try {
    const till = await session.read({ nodeId: `ns=0;i=${VariableIds.Server_ServerStatus_SecondsTillShutdown}`, attributeId: AttributeIds.Value }, 0);
    const seconds: unknown = till.value?.value;
    return till.statusCode.isGood() && typeof seconds === 'number' ? seconds : null;
  } catch {
    return null; // the state says enough: the seconds are a detail of the log line
  }
}
