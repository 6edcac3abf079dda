/**
 * Statuses that say "no live data from the source" (lost communication, not yet received, or the
 * source's last usable value: stale) rather than "the source says its value is bad": they make an
 * alarm suspect and hold its state (the COMM alarm speaks for a lost server), never raise a
 * bad-quality alarm. The codes are known in one place: historian/status.ts.
 */
export { isNoLiveData as isCommStatus } from '../../../../historian/status.js';
