/** Texts every page shares: errors from the station, generic words. ICU MessageFormat. */
export const common = {
  'error.forbidden.signIn': 'Sign in first: this needs the permission “{permission}”.',
  'error.forbidden.permission': '{user} may not do this: it needs the permission “{permission}”.',
  'error.unavailable': 'Not available in this station.',
  // A call the console's link to the station could not carry (renderer/lib/ws-client.ts): its English stays for the log.
  'error.noLink': 'No link to the station: the console reconnects by itself; try again once it is back.',
  'error.noResponse': 'The station did not answer within {seconds} s: try again; if it goes on, check that the station runs and the network to it.',
  'error.linkClosed': 'The link to the station closed before it answered: the console reconnects; check whether it was done before trying again.',
  'common.dateTime.placeholder': 'YYYY-MM-DD hh:mm:ss',
  'common.dateTime.help': 'Year first (2026-12-03 14:05) or day first with dots (03.12.2026 14:05); ↑ ↓ change the part under the cursor.',
  'common.dateTime.invalid': 'Not a date and time: write it as YYYY-MM-DD hh:mm:ss or DD.MM.YYYY hh:mm.',
  'common.dateTime.ambiguous': 'Day first or month first? Write the year first (2026-12-03) or the day with dots (03.12.2026).',
  'common.dateTime.noSuchMonth': 'There is no month {month}: months run from 01 to 12.',
  'common.dateTime.noSuchDay': '{month, plural, =1 {January} =2 {February} =3 {March} =4 {April} =5 {May} =6 {June} =7 {July} =8 {August} =9 {September} =10 {October} =11 {November} other {December}} {year} has {days} days: there is no day {day}.',
  'common.dateTime.noSuchHour': 'There is no hour {hour}: hours run from 00 to 23.',
  'common.dateTime.noSuchMinute': 'There is no minute {minute}: minutes run from 00 to 59.',
  'common.dateTime.noSuchSecond': 'There is no second {second}: seconds run from 00 to 59.',
  // A name and what it is, joined as the language joins them (an accessible name built in code: "TK101 level: 12.3 m").
  'common.labelled': '{name}: {value}',
  // Texts joined in code (a value's detail, its accessible name), with the language's punctuation (zh：；，、。（）).
  'common.clauses': '{first}; {then}',
  'common.phrases': '{first}, {then}',
  'common.enumerated': '{first}, {then}',
  'common.sentences': '{first}. {then}',
  // A head and what follows from it ("Link lost — every value is old"); Chinese writes ——, unspaced (GB/T 15834 破折号).
  'common.dashed': '{first} — {then}',
  'common.aside': '{first} ({aside})',
  'common.parenthesized': '({text})',
  'error.unknownMethod': 'This station does not know this request: it may run an older version than this console.',
  'error.internal': 'The station failed to do this; see its log.',
  'error.badRequest': 'The station did not take this: {fields} {count, plural, one {is} other {are}} not as it expects ({detail}).',
  'error.busy': 'The station is still working on this console’s last {limit} requests; try again in a moment.',
  'error.auditUnavailable': 'Refused: the audit trail cannot be written, and no action is done until it can. See the station log.',
} as const;
