/** Texts the station generates about alarms: refusal reasons, rows it makes up itself. ICU MessageFormat. */
export const alarms = {
  'alarms.refused.changed': 'Alarm changed — review.',
  'alarms.refused.unknownAlarm': 'There is no alarm “{alarm}”.',
  'alarms.refused.notShelvable': '{alarm} is a safety alarm and may not be shelved.',
  'alarms.refused.shelveTooLong': 'Shelving is limited to {max, plural, one {# minute} other {# minutes}} for you; {requested, plural, one {# minute} other {# minutes}} asked.',
  'alarms.refused.shelveNotAllowed': 'Your role may not shelve alarms.',
  'alarms.refused.notShelved': '{alarm} is not shelved.',
  'alarms.refused.notActive': '{alarm} is not active: shelving until it returns to normal applies only to an active alarm. Shelve it for a set time instead.',
  'alarms.refused.notLatched': '{alarm} is not latched.',
  'alarms.refused.ackFirst': 'Acknowledge {alarm} before resetting it.',
  'alarms.refused.conditionPresent': 'Cannot reset {alarm}: the condition is still present.',
  'alarms.refused.suspect': 'Cannot reset {alarm}: its data is not live, so the condition cannot be checked.',
  'alarms.refused.alreadyOutOfService': '{alarm} is already out of service.',
  'alarms.refused.notOutOfService': '{alarm} is not out of service.',
  'alarms.refused.noSuchCondition': '{alarm} has no {condition} condition.',
  'alarms.refused.notConfigurable': '{alarm} is defined by its OPC UA server and cannot be changed here.',
  'alarms.refused.invalidChange': 'The change was not saved: {problem}',
  'alarms.refused.notConfirmable': '{alarm} has no confirm step.',
  'alarms.refused.serverUnavailable': 'Server {server} is not connected; try again when it is.',
  'alarms.refused.exportTooLarge': '{lines, number} journal lines match; one export takes at most {max, number}. Choose a shorter period or filter the export.',
  'alarms.refused.serverRefused': 'Server {server} refused the request: {status}.',
  // A shelve or unshelve of a server's condition is made at its server (Part 9 ShelvingState): its refusals.
  'alarms.refused.serverAlreadyShelved': 'Server {server} has {alarm} shelved already (by its own operators or another client): nothing was changed.',
  'alarms.refused.serverShelveTooLong': 'Server {server} shelves {alarm} for at most {max, plural, one {# minute} other {# minutes}}: nothing was shelved. Choose a shorter time.',
  'alarms.refused.serverShelveTime': 'Server {server} refused the shelving time for {alarm}: nothing was shelved. Choose a shorter time.',
  'alarms.refused.serverAccessDenied': 'Server {server} does not let the station shelve or unshelve {alarm} (the station\'s OPC UA user lacks the right): nothing was changed. Do it on that server\'s own alarm display.',
  'alarms.refused.serverNoShelving': 'Server {server} offers no shelving for {alarm}: it cannot be shelved from here. Shelve it on that server\'s own alarm display.',
  // Part 9 makes EventId mandatory for an ack or confirm: a server that names none in its events or on the condition.
  'alarms.refused.noEventId': 'Server {server} does not identify this alarm\'s events (no EventId): it cannot be acknowledged or confirmed from here. Do it on that server\'s own alarm display.',
  'alarms.comm.lost': 'Communication lost with server {server}',
  // A server's condition (A&C) its server dropped while unacknowledged: it stays until acknowledged at the station.
  'alarms.server.gone': '{message} (no longer reported by server {server})',
  // Raised by the station when a server refuses ConditionRefresh and shows no conditions to read instead.
  'alarms.server.notRefreshed': 'Server {server} did not send its alarms in effect ({status}): alarms already active when the station connected may be missing from the list',
  'alarms.quality.bad': '{tag}: bad quality',
  // A Good value that stopped changing (a stuck transmitter): the station's own diagnostic.
  'alarms.quality.frozen': '{tag}: value frozen (not changing)',
  // Sync alarms: the store-and-forward to an upstream (regional server) is not delivering.
  'alarms.sync.upstream': 'Data are not reaching upstream {upstream}',
  'alarms.sync.backlog': 'Data for upstream {upstream} wait longer than {minutes, plural, one {# minute} other {# minutes}}: {detail}',
  // The threshold as a duration ({after}: the English in params, said in the console's words from the nested alarms.sync.waited).
  'alarms.sync.backlogAfter': 'Data for upstream {upstream} wait longer than {after}: {detail}',
  // A duration alone (ms), written by the console's formats: the backlog alarm's threshold.
  'alarms.sync.waited': '{afterMs}',
  'alarms.sync.paused': 'Sending to upstream {upstream} is paused: {detail}',
  'alarms.sync.credentials': 'Sending to upstream {upstream} cannot start: {detail}',
  'alarms.sync.stopped': 'Sending to upstream {upstream} stopped: {detail}',
  'alarms.sync.quarantined': 'Data for upstream {upstream} not sent: {detail}',
  'alarms.sync.lost': 'Data missing upstream (aged out of the archive unsent, or lost by the upstream)',
  'alarms.sync.lostDetail': 'Data missing upstream: {detail}',
  // The same naming the upstream (a station may send to two).
  'alarms.sync.lostAt': 'Data missing at upstream {upstream}: {detail}',
} as const;
