/**
 * What the sync says of data missing upstream and of what an upstream still holds (restart
 * checks): written by the station as a key and parameters (app/shared/sync-text.ts), rendered in the
 * console's language on the Sync page and in English for the log and the sync CLI. Parameters
 * named `…At` are times (ms), `…Ats` lists of times; `reason`, `found`, `detail` and `parts` are
 * messages of this file themselves.
 */
export const syncTexts = {
  'sync.check.restarted': 'upstream {upstream} restarted at {startedAt}',
  'sync.check.notHeld': 'upstream {upstream} no longer holds what it acknowledged (checked at {checkedAt})',
  'sync.check.holds': 'it holds what it acknowledged up to {upToAt}',
  'sync.check.lostAfter': 'it no longer holds what it acknowledged after {afterAt}',
  'sync.check.holdsNothing': 'it holds nothing it acknowledged since {sinceAt}, the oldest check kept',
  'sync.check.nothingYet': 'nothing to check what it holds against yet',
  'sync.check.cannot': 'what it holds cannot be checked: no line it acknowledged lately can be looked up there',
  'sync.check.couldNot': 'what it holds could not be checked ({error})',
  'sync.check.gaps': 'it does not hold what it acknowledged by {count} check(s) since the last such check ({missingAts}), though {around, select, checks {checks around them are} other {one at {anchorAt} is}}',
  'sync.check.result': '{reason}: {found}; {ranges} range(s) and {lines} retried line(s) sent again',
  'sync.check.unwitnessed': 'upstream {upstream}: what it holds cannot be checked: none of the last {count} line(s) it acknowledged can be looked up there ({line}); after a restart or a loss there, only the last {windowSec} s are sent again',
  'sync.check.witnessedAgain': 'upstream {upstream}: what it holds can be checked again (a line it acknowledged can be looked up there)',
  'sync.check.unverifiable': "upstream {upstream}: what it holds could not be checked ({error}): data it loses without a restart (a database dropped and made again) would go unnoticed; let the station's account read",
  'sync.check.verifiableAgain': 'upstream {upstream}: what it holds can be checked again',
  'sync.check.notFound': 'upstream {upstream} answered that the database was not found ({error})',
  'sync.loss.notFoundUnchecked': "{reason}, and what it holds since it took data again could not be checked ({error}): what it acknowledged before may be missing there; let the station's account read, or send again (npm run sync -- resend)",
  'sync.loss.holdsNothing': '{reason}, holding nothing it acknowledged since {sinceAt} (the oldest check kept): that is sent again; what it acknowledged before may be missing there too and cannot be checked from here (npm run sync -- resend)',
  'sync.loss.cannotCheck': '{reason}, and what it still holds cannot be checked (no line it acknowledged lately can be looked up there): what it acknowledged before the last {windowSec} s (sent again) may be missing there; send again (npm run sync -- resend)',
  'sync.loss.couldNotCheck': "{reason}, and what it still holds could not be checked ({error}): what it acknowledged before the last {windowSec} s (sent again) may be missing there; let the station's account read, or send again (npm run sync -- resend)",
  'sync.loss.gaps': '{reason}: {found}: what it acknowledged between them is sent again ({ranges} range(s))',
  'sync.loss.deleted': '{count, plural, one {# record} other {# records}} ({stream} {single, select, yes {{first, number, ::group-off}} other {{first, number, ::group-off}–{last, number, ::group-off}}}) deleted at the station {again, select, yes {before they could be sent again} other {before they were sent}}',
  'sync.loss.restored': "{stream}: the station's records now end at {head, number, ::group-off}, below {from, number, ::group-off} already sent (restored from an older copy or cut at its end); sent again from the start",
  /** A loss as its source words it (the archive's own text about a volume it no longer has). */
  'sync.loss.station': '{detail}',
  'sync.loss.resending': 'sending again ({reason}): {detail}',
  'sync.loss.list': '{parts}',
  // A loss as the sync-lost alarm says it (its detail): the stream's name, then what is missing.
  'sync.loss.inStream': '{stream}: {detail}',
  // Why a range acknowledged is sent again (a re-send's reason, kept with it in sync.sqlite): what a check found.
  'sync.loss.checkFound': '{reason}: {found}',
  // The archive's own account of what it no longer has (historian/read/changes.ts LostVolumes parts), `[file]`: the volume of the hole.
  'sync.loss.inVolume': '{reason} [{file}]',
  'sync.loss.volumesGone': 'changes not read yet are no longer in the archive ({parts})',
  'sync.loss.volumeGone': '{file}: {why}',
  'sync.loss.goneDetached': 'detached',
  'sync.loss.goneByAge': 'dropped by retention (older than {days, number, ::group-off} days)',
  'sync.loss.goneByCount': 'dropped by retention (beyond the newest {volumes, number, ::group-off} volumes)',
  'sync.loss.goneByAgeOrCount': 'dropped by retention (older than {days, number, ::group-off} days or beyond the newest {volumes, number, ::group-off} volumes)',
  'sync.loss.volumesUnreadable': 'changes in volumes whose files cannot be read are passed over ({parts})',
  'sync.loss.volumeUnreadable': 'volume {file} cannot be read: {path}: {cause}. {advice}',
  'sync.loss.fileMissing': 'the file is missing',
  'sync.loss.adviceWritten': 'It is the volume being written (its period ends {endAt}): the archive cannot write without it; the file is left as it is. Restore it from a backup.',
  'sync.loss.adviceDetached': 'It is detached; the file is left as it is. Restore it from a backup before attaching it again.',
  'sync.loss.advicePast': 'Reads leave out its data ({startAt} to {endAt}) and nothing is written to it; the file is left as it is. Restore it from a backup, or take it out of the archive: npm run historian -- volumes detach {file} --data {dataDir}',
  'sync.loss.archiveRestored': "the cursor has read up to write {read, number, ::group-off}, the archive's newest write is {head, number, ::group-off}: the archive was restored from an older copy or replaced; its changes are sent again from the beginning",
  'sync.restartCheck': 'What the upstream holds, checked {at}: {text}',
  // Why an upstream alarms (its alarm's detail, the Sync page): counts and minutes in the console's number format.
  'sync.cause.backlog': '{records, plural, one {# record waits} other {# records wait}}, the oldest for {minutes, number} min',
  'sync.cause.backlogUntimed': '{records, plural, one {# record waits} other {# records wait}}, the oldest written before this version kept write times',
  'sync.cause.withError': '{detail} (last error: {error})',
  // Lines quarantined since an engineer last retried them (its alarm): the reason is the upstream's or the station's English words.
  'sync.cause.quarantined': "{lines, plural, one {# line} other {# lines}} quarantined since {at}, the first: {reason}. Correct what it names (often the station clock or the upstream's retention), then retry the lines on the Sync page",
  // An upstream's secret that cannot be read (app/main/sync/upstream/credentials.ts); the English is the log's.
  'sync.cause.envUnset': "upstream {upstream}: environment variable {variable} is not set (it holds the upstream's secret)",
  'sync.cause.keychainUnreadable': 'upstream {upstream}: OS keychain entry {service}/{account} could not be read: {error}',
  'sync.cause.keychainMissing': 'upstream {upstream}: OS keychain has no entry {service}/{account}',
  // An upstream's error as the sync met it (upstream/faults.ts): `…Ms` durations in the console's
  // words; `body`, `detail` and `contentType` are the upstream's or the network library's own words.
  'sync.fault.noAnswer': 'no answer within {timeoutMs}',
  'sync.fault.noAnswerNoConnection': 'no answer within {timeoutMs} (no connection made)',
  'sync.fault.cutOff': 'the answer was cut off: {detail}',
  'sync.fault.refused': 'connection refused',
  'sync.fault.reset': 'connection reset',
  'sync.fault.unknownHost': 'unknown host {host}',
  'sync.fault.unreachable': 'network unreachable',
  'sync.fault.connectTimedOut': 'the connection timed out',
  'sync.fault.tls': 'TLS: {detail}',
  'sync.fault.network': 'network error: {detail}',
  'sync.fault.http': 'HTTP {status}: {body}',
  'sync.fault.httpStatus': 'HTTP {status}',
  'sync.fault.notUpstream': "HTTP {status} ({contentType}) is not the upstream's answer to a write: a proxy or portal in the way? {body}",
  'sync.fault.probeUnreadable': "restart probe {path}: unreadable answer (HTTP 200, {contentType}): not the upstream's; a proxy or portal in the way? {body}",
  'sync.fault.noContentType': 'no content type',
} as const;
