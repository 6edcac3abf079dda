/**
 * What the sync says of data missing upstream and of what an upstream holds, in the console's
 * language. The station sends each as a catalog key and parameters (app/shared/sync-text.ts, whose
 * renderText is the one way they are put together, for the CLI's English too); here times,
 * durations and lists take the console's locale (Formats). A loss or check from a station before these were
 * kept has its English text only, shown as it is.
 */
import type { SyncStatusView, SyncTextView, UpstreamStatusView } from '../../shared/api.js';
import type { MessageKey } from '../../shared/i18n/index.js';
import { renderText } from '../../shared/sync-text.js';
import type { Lang } from './value-view.js';

export type LossView = SyncStatusView['losses'][number];
export type RestartCheckView = NonNullable<UpstreamStatusView['restartCheck']>;

export function syncText(text: SyncTextView, lang: Lang): string {
  return renderText(text, (key, params) => lang.t(key as MessageKey, params), {
    dateTime: (ms) => lang.fmt.dateTime(ms),
    list: (items) => lang.fmt.list(items),
    duration: (ms) => lang.fmt.duration(ms),
  });
}

/** A loss's detail in the console's language (its English text when it came without its message). */
export function lossText(loss: LossView, lang: Lang): string {
  return loss.text ? syncText(loss.text, lang) : loss.detail;
}

/**
 * A text the station sends in English with its catalog message beside it (`said`: an alarm's cause,
 * a secret that cannot be read) in the console's language; its English where it came without one
 * (an upstream's own answer, an older station).
 */
export function saidText(m: { message: string; said?: SyncTextView }, lang: Lang): string {
  return m.said ? syncText(m.said, lang) : m.message;
}

/**
 * The English an upstream's error was said from (Node's, the upstream's own answer: "HTTP 503:
 * overloaded", "ECONNREFUSED: connect …"), as a technical detail beside the console's words (a
 * tooltip); none where the error is said as it is.
 */
export function technicalDetail(m: { message: string; said?: SyncTextView }, lang: Lang): string | undefined {
  return m.said ? lang.t('band.technicalDetailOf', { detail: m.message }) : undefined;
}

export function restartCheckText(check: RestartCheckView, lang: Lang): string {
  return lang.t('sync.restartCheck', { at: lang.fmt.dateTime(check.at), text: check.text ? syncText(check.text, lang) : check.message });
}
