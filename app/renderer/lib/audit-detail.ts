/**
 * An audit entry's detail in the console's language. The trail keeps the station's English,
 * chained into its hashes, and that text is what is verified: so the console reads the words of
 * the details the station writes (refusals, failed sign-ins, session ends) from it, and shows
 * any other detail (an engineer's comment, an OPC UA server's text) as stored. What an action that
 * succeeded did (a trend export, an account made, a tag removed) is read the same way: worded when
 * shown, so every entry, old ones too, reads in the console's language while the trail keeps its text.
 * The patterns follow the texts of app/main/api/dispatcher.ts, app/main/accounts/ and app/main/alarms/.
 * A refusal for want of a permission is said with the permission's name, in English too: the id
 * the station stores ("accounts.manage") is not for people to read.
 */
import type { MessageKey, MessageParams } from '../../shared/i18n/index.js';
import { permissionText } from './permission-text.js';
import { joined } from './joined.js';
import type { Formats } from '../../shared/i18n/format.js';
import { compressionInfo } from '../../shared/api/history.js';
import { compressionText } from './config-text.js';
import type { Lang } from './value-view.js';

type Tr = (key: MessageKey, params?: MessageParams) => string;

/** How the page writes times, spans and lists in a detail (its Formats); without it, as stored. */
export interface DetailFormats {
  dateTime(ms: number): string;
  age(ms: number): string;
  duration(ms: number): string;
  list(items: readonly string[]): string;
}
const AS_STORED: DetailFormats = { dateTime: (ms) => new Date(ms).toISOString(), age: (ms) => `${ms} ms`, duration: (ms) => `${ms} ms`, list: (items) => items.join(', ') };

type Rule = [RegExp, (m: RegExpExecArray, t: Tr, lang: string, f: DetailFormats) => string];

const fixed = (text: string, key: MessageKey): Rule => [new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`), (_, t) => t(key)];

/** The dispatcher's refusals (and its count of repeated ones): said the console's way in every language. */
const REFUSALS: Rule[] = [
  [/^\S+: sign in first; this needs the permission "([^"]+)"$/, (m, t) => t('error.forbidden.signIn', { permission: permissionText(m[1]!, t) })],
  [/^\S+: (\S+) \([^)]*\) lacks the permission "([^"]+)"$/, (m, t) => t('error.forbidden.permission', { user: m[1]!, permission: permissionText(m[2]!, t) })],
  [/^(\d+) more refused like this within (\d+) s of the first: ([^]*)$/,
    (m, t, lang, f) => t('audit.detail.moreRefused', { count: Number(m[1]), seconds: Number(m[2]), detail: auditDetail(m[3]!, t, lang === 'en' ? 'en' : '', f) })],
];

/** A catalog name where the catalog has one (a newer station's aggregate has none): else as stored. */
const named = (t: Tr, key: string, stored: string) => {
  const said = t(key as MessageKey);
  return said === key ? stored : said;
};

/** A stored ISO time as the page writes times; one that does not parse, as stored. */
const timeOf = (iso: string, f: DetailFormats) => {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? f.dateTime(ms) : iso;
};

/** An interval as a span: "1 min", "15 мин" in its one unit where it is a whole number of it, else "1 min 30 s"; under a second, in ms. */
const spanOf = (ms: number, f: DetailFormats) => {
  if (ms < 1000) return `${ms} ms`;
  const unit = [86_400_000, 3_600_000, 60_000, 1000].find((u) => ms >= u)!;
  return ms % unit === 0 ? f.age(ms) : f.duration(ms);
};

/**
 * Details that count something, which the station writes with the plural whatever the count ("1 accounts"):
 * said with the language's plural forms in English too (Russian has one, few and many).
 */
const COUNTED: Rule[] = [
  // The accounts the station found at its start (app/main/accounts/module.ts: station.started).
  [/^(\d+) accounts$/, (m, t) => t('audit.detail.accounts', { count: Number(m[1]) })],
  // An audit query or export (app/main/accounts/audit-handlers.ts).
  [/^(\d+) entries$/, (m, t) => t('audit.detail.entries', { count: Number(m[1]) })],
  // An alarm journal export (app/main/alarms/handlers.ts): its filter, in words where it parses, and lines.
  [/^(\{.*\}): (\d+) lines$/, (m, t, _, f) => t('audit.detail.journalLines', { filter: journalFilter(m[1]!, t, f), count: Number(m[2]) })],
  [/^(\d+) failed sign-ins in a row: locked for (\d+) min( \(no such account\))?$/,
    (m, t) => t('audit.detail.locked', { count: Number(m[1]), minutes: Number(m[2]), known: m[3] ? 'no' : 'yes' })],
];

/** What an action that succeeded did, as the station writes it. */
const DONE: Rule[] = [
  // A trend export (app/main/trends/export/service.ts): rows, aggregate and interval, range, time zone.
  [/^(raw|resampled)(?: (\w+) (\d+) ms)?, (\S+) \.\. (\S+), (\S+)$/, (m, t, _, f) => t('audit.detail.trendExport', {
    shape: m[1]!, aggregate: m[2] ? named(t, `trends.aggregate.${m[2]}`, m[2]) : '', interval: m[3] ? spanOf(Number(m[3]), f) : '',
    from: timeOf(m[4]!, f), to: timeOf(m[5]!, f), zone: m[6]!,
  })],
  // An alarm KPI export (app/main/alarms/handlers.ts): its period as UTC minute stamps (20261206T1920).
  [/^(\d{8}T?\d{4})\.\.(\d{8}T?\d{4})$/, (m, t, _, f) => t('audit.detail.period', { from: stampTime(m[1]!, f), to: stampTime(m[2]!, f) })],
  // A start after a fault (app/main/restart-note.ts): the cause stays the station's technical English.
  [/^restarted after a fault at (\S+) \(restart (\d+)\): ([^]*)$/, (m, t, _, f) => t('audit.detail.restartedAfterFault', { time: timeOf(m[1]!, f), count: Number(m[2]), cause: m[3]! })],
  // A tag removed (app/main/acquisition/tag-edit.ts).
  fixed('removed from the station config; its archive is kept', 'audit.detail.tagRemoved'),
  // A server certificate trusted or rejected (app/main/acquisition/handlers.ts).
  [/^presented by server (\S+) at (\S+)$/, (m, t) => t('audit.detail.certificatePresented', { server: m[1]!, endpoint: m[2]! })],
  [/^used by (server \S+ at \S+(?:, server \S+ at \S+)*)$/, (m, t, _, f) => t('audit.detail.certificateUsed', {
    servers: f.list(m[1]!.split(', ').map((u) => /^server (\S+) at (\S+)$/.exec(u)!).map((u) => t('audit.detail.certificateUser', { server: u[1]!, endpoint: u[2]! }))),
  })],
  // A re-send asked at a shell (app/main/sync/cli.ts).
  [/^queued for (.+)$/, (m, t, _, f) => t('audit.detail.resendQueued', { upstreams: f.list(m[1]!.split(', ')) })],
  // The trail writable again after a failure (app/main/api/dispatcher.ts): the failure as stored.
  [/^the audit trail takes entries again; before this entry at least one could not be written: ([^]*)$/, (m, t) => t('audit.detail.auditResumed', { error: m[1]! })],
];

const RULES: Rule[] = [
  ...REFUSALS,
  ...COUNTED,
  [/^wrong password \((\d+) in a row\)(; locked)?$/, (m, t) => t('audit.detail.wrongPassword', { count: Number(m[1]), locked: m[2] ? 'yes' : 'no' })],
  [/^no such account(; locked)?$/, (m, t) => t('audit.detail.noAccount', { locked: m[1] ? 'yes' : 'no' })],
  // A sign-in refused at once: the name is locked for its source (app/main/accounts/sign-in.ts).
  [/^account locked until (\S+)$/, (m, t, _, f) => t('audit.detail.lockedUntil', { until: timeOf(m[1]!, f) })],
  [/^session token of (\S+) presented from another address$/, (m, t) => t('audit.detail.tokenElsewhere', { user: m[1]! })],
  [/^shift handover to (\S+)$/, (m, t) => t('audit.detail.handover', { user: m[1]! })],
  // A sign-in that takes the console over from the one signed in (app/main/accounts/session-handlers.ts).
  [/^handover from (\S+)$/, (m, t) => t('audit.detail.handoverFrom', { user: m[1]! })],
  fixed('unknown or expired session token', 'audit.detail.unknownToken'),
  fixed('taken over from a console still connected', 'audit.detail.takenOver'),
  fixed('reconnected within the inactivity time', 'audit.detail.reconnected'),
  fixed('no operator input', 'audit.detail.noInput'),
  fixed('connection closed and not resumed', 'audit.detail.connectionClosed'),
  fixed('the console closed', 'audit.detail.consoleClosed'),
  // A sign-out from a console where nobody was signed in (app/main/accounts/session-handlers.ts).
  fixed('nobody was signed in', 'audit.detail.nobodySignedIn'),
  fixed('the account no longer exists', 'audit.detail.accountGone'),
  fixed('the account was disabled', 'audit.detail.accountDisabled'),
  fixed('the password was changed: every session of the account ends', 'audit.detail.passwordChanged'),
  // A password changed by its user (session-handlers.ts, sessions.ts) or set by an administrator (account-handlers.ts).
  [/^new password set by its user; other sessions of the account ended: (\d+)$/, (m, t) => t('audit.detail.ownPasswordChanged', { count: Number(m[1]) })],
  fixed('the password was changed by its user at another console', 'audit.detail.passwordChangedElsewhere'),
  fixed('new password set; failed sign-ins and any lock cleared', 'audit.detail.passwordReset'),
  fixed('new password set by its user at a shell; every session of the account ends', 'audit.detail.ownPasswordChangedAtShell'),
  // A weak TLS certificate served in browser mode, found at start (app/main/api/served-certificate.ts).
  [/^TLS certificate (.+) served to browsers: (.+)$/, (m, t) => t('audit.detail.tlsWeak', { file: m[1]!, reasons: m[2]!.split('; ').map((r) => tlsReason(r, t)).join(t('audit.detail.tlsReasonSeparator')) })],
  // A new password refused (app/main/accounts/password.ts).
  [/^the password must be at least (\d+) characters long$/, (m, t) => t('accounts.password.tooShort', { min: Number(m[1]) })],
  fixed('the password must not begin or end with a space', 'accounts.password.spaces'),
  fixed('the password must not contain the user name', 'accounts.password.containsUser'),
  // An account change refused (app/main/accounts/store.ts, account-handlers.ts, session-handlers.ts).
  [/^an account "(.+)" exists already$/, (m, t) => t('accounts.exists', { user: m[1]! })],
  [/^no account "(.+)"$/, (m, t) => t('accounts.notFound', { user: m[1]! })],
  [/^"(.+)" is the last enabled administrator: make another administrator first$/, (m, t) => t('accounts.lastAdministrator', { user: m[1]! })],
  [/^\S+ may not change the roles of their own account: another administrator does that$/, (_, t) => t('accounts.ownRoles')],
  [/^\S+ may not reset their own password here: change it with the current password \(Change password\), or on the station with `npm run accounts -- passwd`$/, (_, t) => t('accounts.resetPassword.own')],
  fixed('accounts exist already: sign in instead', 'accounts.setup.exists'),
  fixed('the first administrator is created on the station itself (or with `npm run accounts -- add`), not over the network', 'accounts.setup.loopbackOnly'),
  fixed('refused: a sign-in is being checked on this console already; wait for its answer', 'accounts.signIn.inProgress'),
  // A break in the audit chain the station found at start (app/main/accounts/module.ts, audit/trail.ts).
  [/^the audit chain is broken at entry (-?\d+): ([^]*)$/, (m, t) => t('audit.detail.chainBroken', { seq: Number(m[1]), reason: chainReason(m[2]!, t) })],
  // The Audit page's CSV export refused as too large (app/main/accounts/audit-handlers.ts).
  [/^(\d+) entries match: more than (\d+); narrow the time range or use `npm run audit -- export`$/, (m, t) => t('audit.export.tooMany', { count: Number(m[1]), max: Number(m[2]) })],
  // An alarm action refused (app/main/alarms/engine/engine.ts, config-edits.ts, handlers.ts).
  [/^no alarm "(.+)"$/, (m, t) => t('alarms.refused.unknownAlarm', { alarm: m[1]! })],
  [/^alarm changed — review: (.+)$/, (m, t) => t('alarms.refused.changed', { alarms: m[1]! })],
  [/^(\S+) may not be shelved$/, (m, t) => t('alarms.refused.notShelvable', { alarm: m[1]! })],
  [/^\S+: (\d+) min asked, at most (\d+) min allowed$/, (m, t) => t('alarms.refused.shelveTooLong', { requested: Number(m[1]), max: Number(m[2]) })],
  [/^(\S+) is not shelved$/, (m, t) => t('alarms.refused.notShelved', { alarm: m[1]! })],
  [/^(\S+): the condition is still present$/, (m, t) => t('alarms.refused.conditionPresent', { alarm: m[1]! })],
  [/^(\S+) is not latched$/, (m, t) => t('alarms.refused.notLatched', { alarm: m[1]! })],
  [/^(\S+): its data is not live, the condition cannot be verified$/, (m, t) => t('alarms.refused.suspect', { alarm: m[1]! })],
  [/^(\S+) must be acknowledged before it is reset$/, (m, t) => t('alarms.refused.ackFirst', { alarm: m[1]! })],
  [/^(\S+) is (?:already )?out of service$/, (m, t) => t('alarms.refused.alreadyOutOfService', { alarm: m[1]! })],
  [/^(\S+) is not out of service$/, (m, t) => t('alarms.refused.notOutOfService', { alarm: m[1]! })],
  [/^(\S+) has no (\S+) condition$/, (m, t) => t('alarms.refused.noSuchCondition', { alarm: m[1]!, condition: m[2]! })],
  [/^(\S+) (?:is not defined in the station config|has no delays|has no deadband)$/, (m, t) => t('alarms.refused.notConfigurable', { alarm: m[1]! })],
  [/^(\S+) has no confirm step$/, (m, t) => t('alarms.refused.notConfirmable', { alarm: m[1]! })],
  fixed('your role may not shelve alarms', 'alarms.refused.shelveNotAllowed'),
  // A shelve or unshelve of a server's condition made at its server, and its refusals (app/main/alarms/conditions/client.ts).
  [/^at server (\S+) \(OPC UA\)$/, (m, t) => t('alarmsUi.journal.atServer', { server: m[1]! })],
  [/^(\S+): server (\S+) has it shelved already$/, (m, t) => t('alarms.refused.serverAlreadyShelved', { alarm: m[1]!, server: m[2]! })],
  [/^(\S+): server (\S+) refused the shelving time(?:: at most (\d+) ms)?$/, (m, t) => (m[3] && Number(m[3]) >= 60_000
    ? t('alarms.refused.serverShelveTooLong', { alarm: m[1]!, server: m[2]!, max: Math.floor(Number(m[3]) / 60_000) })
    : t('alarms.refused.serverShelveTime', { alarm: m[1]!, server: m[2]! }))],
  [/^(\S+): server (\S+) does not let the station's OPC UA user shelve it$/, (m, t) => t('alarms.refused.serverAccessDenied', { alarm: m[1]!, server: m[2]! })],
  [/^(\S+): server (\S+) has no shelving for the condition \(no ShelvingState\)$/, (m, t) => t('alarms.refused.serverNoShelving', { alarm: m[1]!, server: m[2]! })],
  // An engineer's settings edit refused (app/main/alarms/handlers.ts, the config's checkAlarms).
  [/^(\S+): tags\[\d+\]\.alarms\.limits\.\w+\.value: expected (\w+) within the tag's range \[(\S+), (\S+)\] \([^)]*\); got (\S+)$/,
    (m, t) => t('alarms.refused.limitOutsideRange', { alarm: m[1]!, condition: m[2]!, low: Number(m[3]), high: Number(m[4]), value: Number(m[5]), unit: '' })],
  [/^(\S+): tags\[\d+\]\.alarms\.limits\.\w+\.value: expected (\w+) \((\S+)\) above (\w+) \((\S+)\)$/,
    (m, t) => t('alarms.refused.limitOrder', { alarm: m[1]!, higher: m[2]!, higherValue: Number(m[3]), lower: m[4]!, lowerValue: Number(m[5]) })],
  [/^(\S+): expected (DEVH|DEVL|ROC) above 0, got \S+$/, (m, t) => t('alarms.refused.notPositive', { alarm: m[1]!, condition: m[2]! })],
  [/^(\S+): expected a deadband of at most (\d+) % of span, got \S+$/, (m, t) => t('alarms.refused.deadbandPercentTooBig', { alarm: m[1]!, max: Number(m[2]) })],
  [/^((\S+)\/\w+): tags\[\d+\]\.alarms\.deadbandPercent: missing range: .*$/, (m, t) => t('alarms.refused.percentNeedsRange', { alarm: m[1]!, tag: m[2]! })],
  // An edit of several settings (alarms.editSettings) that named none.
  [/^(\S+): no setting to change$/, (m, t) => t('alarms.refused.nothingToChange', { alarm: m[1]! })],
  // An alarm action's own detail (app/main/alarms/handlers.ts).
  [/^(selected|page): (\d+)$/, (m, t) => t('audit.detail.ackScope', { scope: m[1]!, count: Number(m[2]) })],
  [/^(\d+) sounding$/, (m, t) => t('audit.detail.sounding', { count: Number(m[1]) })],
  ...DONE,
];

/** A file-name stamp of a UTC minute (app/main/alarms/handlers.ts stamp()) as the page writes times; else as stored. */
function stampTime(stamp: string, f: DetailFormats): string {
  const m = /^(\d{4})(\d\d)(\d\d)T?(\d\d)(\d\d)$/.exec(stamp)!;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  return Number.isFinite(ms) ? f.dateTime(ms) : stamp;
}

/** The journal event names a filter may hold (app/shared/api/alarms.ts journalEvents): each is a catalog name. */
const isName = (v: unknown): v is string => typeof v === 'string' && /^\w+$/.test(v);

/**
 * An alarm journal export's filter (its parameters as JSON: from, to, tags, areas, priorities, events)
 * in words: its period, tags and areas as data, priorities and events by their catalog names. A filter
 * that does not parse, or holds a field this does not know, as stored.
 */
function journalFilter(json: string, t: Tr, f: DetailFormats): string {
  let p: Record<string, unknown>;
  try {
    p = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return json;
  const texts = (v: unknown) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null);
  const parts: string[] = [];
  for (const [key, v] of Object.entries(p)) {
    if (key === 'from' && typeof v === 'number') parts.push(t('audit.detail.journalFrom', { from: f.dateTime(v) }));
    else if (key === 'to' && typeof v === 'number') parts.push(t('audit.detail.journalTo', { to: f.dateTime(v) }));
    else if (key === 'tags' && texts(v)) parts.push(t('audit.detail.journalTags', { count: texts(v)!.length, tags: f.list(texts(v)!) }));
    else if (key === 'areas' && texts(v)) parts.push(t('audit.detail.journalAreas', { count: texts(v)!.length, areas: f.list(texts(v)!) }));
    else if (key === 'priorities' && Array.isArray(v) && v.every((x) => Number.isInteger(x) && x >= 1 && x <= 4)) {
      parts.push(t('audit.detail.journalPriorities', { priorities: f.list(v.map((level: number) => t('alarmsUi.priority.name', { level }))) }));
    } else if (key === 'events' && Array.isArray(v) && v.every(isName)) {
      parts.push(t('audit.detail.journalEvents', { events: f.list(v.map((e) => named(t, `alarmsUi.event.${e}`, e))) }));
    } else return json;
  }
  return parts.length ? parts.join(t('audit.detail.journalSeparator')) : t('audit.detail.journalAll');
}

/** One reason a served TLS certificate is weak, as app/main/api/served-certificate.ts says it; another as stored. */
function tlsReason(reason: string, t: Tr): string {
  let m: RegExpExecArray | null;
  if ((m = /^(RSA|DSA) key of (\d+) bits \((\d+) or more expected\)$/.exec(reason))) return t('audit.detail.tlsKeyBits', { type: m[1]!, bits: Number(m[2]), min: Number(m[3]) });
  if ((m = /^signed with (\S+)$/.exec(reason))) return t('audit.detail.tlsSignedWith', { digest: m[1]! });
  if ((m = /^expired on (\S+)$/.exec(reason))) return t('audit.detail.tlsExpired', { date: m[1]! });
  if ((m = /^not valid before (\S+)$/.exec(reason))) return t('audit.detail.tlsNotYetValid', { date: m[1]! });
  if ((m = /^expires on (\S+), in (\d+) days?$/.exec(reason))) return t('audit.detail.tlsExpiresSoon', { date: m[1]!, days: Number(m[2]) });
  return reason;
}

/** Why a chain is broken, as AuditTrail.verify() says it. */
function chainReason(reason: string, t: Tr): string {
  const missing = /^follows entry -?\d+: entr(?:y|ies) (\S+) (?:is|are) missing$/.exec(reason);
  if (missing) return t('audit.detail.chainMissing', { entries: missing[1]! });
  if (reason.startsWith('sequence number ')) return t('audit.detail.chainOrder');
  if (reason.startsWith('its link to the previous entry')) return t('audit.detail.chainLink');
  if (reason.startsWith('its content does not match')) return t('audit.detail.chainContent');
  return reason;
}

/** English keeps the station's own words, but for a refusal (the permission by name) and a count (its plural). */
const EN_RULES: Rule[] = [...REFUSALS, ...COUNTED];

/**
 * The detail in the console's language where the station wrote it; otherwise as stored. In English
 * the station's own words are kept, but for a refusal, which names the permission it needed, and a
 * count, said with its plural.
 */
export function auditDetail(detail: string, t: Tr, lang: string, f: DetailFormats = AS_STORED): string {
  for (const [re, say] of lang === 'en' ? EN_RULES : RULES) {
    const m = re.exec(detail);
    if (m) return say(m, t, lang, f);
  }
  return detail;
}

/** The alarm actions whose values are states and words (a configuration edit's are data). */
const ALARM_ACTIONS = new Set(['alarms.acknowledge', 'alarms.confirm', 'alarms.silence', 'alarms.shelve', 'alarms.unshelve', 'alarms.reset',
  'alarms.outOfService', 'alarms.returnToService']);

/** What alarm actions write as old and new values (app/main/alarms/handlers.ts): ISA-18.2 state letters and words. */
const ALARM_WORDS: Record<string, MessageKey> = {
  acknowledged: 'alarmsUi.event.acknowledged',
  confirmed: 'alarmsUi.event.confirmed',
  silenced: 'alarmsUi.event.silenced',
  latched: 'alarmsUi.event.latched',
  reset: 'alarmsUi.event.reset',
  shelved: 'alarmsUi.event.shelved',
  'out of service': 'alarmsUi.event.outOfService',
};

/** The account actions whose values are an account's fields (app/main/accounts/account-handlers.ts, session-handlers.ts). */
const ACCOUNT_ACTIONS = new Set(['accounts.create', 'accounts.update', 'accounts.disable', 'accounts.enable', 'accounts.createFirstAdmin']);

/**
 * An account's fields as valueText reads them ("displayName: Ivan Petrov; roles: operator, engineer;
 * disabled: false"): named as the Accounts page names its columns, the roles and state in words.
 * The name is data, as stored; a value of another form, null.
 */
function accountValue(value: string, t: Tr, list: (items: readonly string[]) => string): string | null {
  const m = /^displayName: ([^]*); roles: ([^;]*?)(?:; disabled: (true|false))?$/.exec(value);
  if (!m) return null;
  const roles = m[2] ? m[2].split(', ').map((role) => t('session.role', { role })) : [];
  const field = (name: string, value: string) => t('common.labelled', { name, value });
  const parts = [field(t('accounts.col.displayName'), m[1]!), field(t('accounts.col.roles'), list(roles))];
  if (m[3]) parts.push(field(t('accounts.col.state'), t('accounts.state', { state: m[3] === 'true' ? 'disabled' : 'active' })));
  // Chinese punctuation in Chinese ("姓名：…；角色：…"), as a journal filter's parts are joined.
  return parts.join(t('audit.detail.journalSeparator'));
}

/**
 * A re-send's range as valueText reads it ("from: 2026-12-06T19:20:00.000Z; stream: alarms; to: ..."):
 * the stream by name, the times as the page writes them; a value of another form, null.
 */
function resendValue(value: string, t: Tr, when: (ms: number) => string): string | null {
  const fields = new Map(value.split('; ').map((part) => [part.slice(0, part.indexOf(': ')), part.slice(part.indexOf(': ') + 2)] as const));
  const from = Date.parse(fields.get('from') ?? ''), to = Date.parse(fields.get('to') ?? ''), stream = fields.get('stream');
  if (fields.size !== 3 || !stream || !Number.isFinite(from) || !Number.isFinite(to)) return null;
  return t('audit.value.resend', { stream, from: when(from), to: when(to) });
}

/**
 * A tag's compression before or after an edit (app/main/acquisition/tag-edit.ts), as valueText reads it
 * ("compression: {...}; effective: {...}", or "compression: station default; effective: {...}"): worded as
 * the Tags page words it, a deviation without the tag's unit (the entry does not carry it). Else null.
 */
function compressionValue(value: string, lang: Lang): string | null {
  const m = /^compression: (station default|\{.*\}); effective: (\{.*\})$/.exec(value);
  if (!m) return null;
  const parsed = (json: string) => {
    try {
      const c = compressionInfo.safeParse(JSON.parse(json));
      return c.success ? c.data : null;
    } catch {
      return null;
    }
  };
  const effective = parsed(m[2]!);
  if (!effective) return null;
  const text = compressionText(effective, '', lang);
  if (m[1] === 'station default') return lang.t('audit.value.compressionDefault', { text });
  return parsed(m[1]!) ? compressionText(parsed(m[1]!)!, '', lang) : null;
}

/**
 * An alarm action's old or new value (as valueText reads it) in the console's language: a state
 * letter, a list of them, or the action's word; shelving with its end time (`when` formats it).
 * Other actions' values (limits, names, roles) are data and stay as stored, and so does any value
 * that is not one of these.
 */
export function auditValue(action: string, value: string, t: Tr, lang: string, when: (ms: number) => string, list: (items: readonly string[]) => string = AS_STORED.list, fmt?: Formats): string {
  if (lang !== 'en' && ACCOUNT_ACTIONS.has(action)) return accountValue(value, t, list) ?? value;
  // A retry of every quarantined line, or of some (app/main/sync/module.ts, cli.ts).
  if (lang !== 'en' && action === 'sync.retry' && value === 'all quarantined lines') return t('audit.value.allQuarantined');
  if (lang !== 'en' && action === 'sync.retry' && /^ids: [\d, ]*$/.test(value)) return t('audit.value.retryLines', { ids: value.slice(5) });
  if (lang !== 'en' && action === 'sync.resend') return resendValue(value, t, when) ?? value;
  if (lang !== 'en' && action === 'tags.setCompression' && fmt) return compressionValue(value, { t, fmt }) ?? value;
  if (lang === 'en' || !ALARM_ACTIONS.has(action)) return value;
  if (value === 'shelved one-shot') return t('audit.value.shelvedOneShot');
  const shelved = /^shelved (one-shot, at most )?until (\S+)$/.exec(value);
  if (shelved) {
    const until = Date.parse(shelved[2]!);
    if (!Number.isFinite(until)) return value;
    return t(shelved[1] ? 'audit.value.shelvedOneShotUntil' : 'audit.value.shelvedUntil', { until: when(until) });
  }
  const parts = value.split(', ');
  const said = parts.map((p) => (/^[A-H]$/.test(p) ? t(`alarmsUi.stateName.${p}` as MessageKey) : ALARM_WORDS[p] ? t(ALARM_WORDS[p]) : null));
  return said.every((x) => x !== null) ? joined(t, 'common.clauses', said) : value;
}

/** The targets the station names in words, by action (app/main/alarms/handlers.ts, app/main/sync/module.ts, cli.ts). */
const TARGETS: Record<string, [string, MessageKey]> = {
  'alarms.silence': ['horn', 'audit.target.horn'],
  'alarms.journalExport': ['alarm journal', 'audit.target.alarmJournal'],
  'alarms.kpiExport': ['alarm KPI', 'alarmsUi.kpi.title'],
};

/**
 * Whether the station named an entry's target in words ("alarm journal", "журнал сигнализаций"),
 * not by an id: words wrap between them, where a long id may break anywhere.
 */
export function targetInWords(action: string, target: string): boolean {
  return TARGETS[action]?.[0] === target || (action.startsWith('sync.') && target === 'all upstreams');
}

/** An entry's target in the console's language where the station named it in words; a tag, an alarm, a user, as stored. */
export function auditTarget(action: string, target: string, t: Tr, lang: string): string {
  if (lang === 'en') return target;
  const named = TARGETS[action];
  if (named && target === named[0]) return t(named[1]);
  if (action.startsWith('sync.') && target === 'all upstreams') return t('sync.resend.all');
  return target;
}
