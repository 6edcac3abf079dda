/**
 * Statuses that say "no data from the source" rather than "the source says its
 * value is bad": they make an alarm suspect (the COMM alarm speaks for them),
 * never a bad-quality alarm.
 */
import {
  BadCommunicationError, BadNoCommunication, BadNotConnected, BadWaitingForInitialData, UncertainNoCommunicationLastUsableValue, codeOf,
} from '../../../../historian/status.js';

const comm = new Set([BadNoCommunication, BadNotConnected, BadWaitingForInitialData, BadCommunicationError, UncertainNoCommunicationLastUsableValue]);

export function isCommStatus(status: number): boolean {
  return status !== 0 && comm.has(codeOf(status));
}
