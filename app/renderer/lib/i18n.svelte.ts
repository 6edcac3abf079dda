/**
 * The console's language: every text an operator reads comes from here.
 * `t(key, params)` and the formatters read the current locale, so a page
 * re-renders when the operator switches language (kept per console in
 * localStorage; the station config gives the default).
 */
import { Formats, Translator, locales, type Locale, type MessageKey, type MessageParams } from '../../shared/i18n/index.js';
import { ApiCallError } from './api-base.js';
import { withPermissionNamed } from './permission-text.js';
import type { Lang } from './value-view.js';

const STORAGE_KEY = 'vigil.locale';

function stored(): Locale | null {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    return (locales as readonly string[]).includes(v ?? '') ? (v as Locale) : null;
  } catch {
    return null; // storage disabled: the station's default applies
  }
}

class I18n {
  /** Chosen on this console; null follows the station's default. */
  private chosen = $state<Locale | null>(stored());
  private stationDefault = $state<Locale>('en');
  readonly locale = $derived<Locale>(this.chosen ?? this.stationDefault);
  private readonly translator = $derived(new Translator(this.locale));
  readonly fmt = $derived(new Formats(this.locale));

  setStationDefault(locale: Locale): void {
    this.stationDefault = locale;
  }

  choose(locale: Locale): void {
    this.chosen = locale;
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, locale);
    } catch {
      // not persisted: the choice holds until the page reloads
    }
  }

  t = (key: MessageKey, params?: MessageParams): string => this.translator.t(key, params);

  /** Words and formats for pure view code (value-view); reading it tracks the locale. */
  get lang(): Lang {
    return { t: this.t, fmt: this.fmt };
  }

  /**
   * A failed call in this console's language (the station's English message when it sent no key);
   * a refusal names the permission it needs by its catalog name, not its id.
   */
  errorText = (err: unknown): string => {
    if (err instanceof ApiCallError) return err.i18n ? this.translator.t(err.i18n.key, withPermissionNamed(err.i18n.params, this.t)) : err.detail;
    return err instanceof Error ? err.message : String(err);
  };
}

export const i18n = new I18n();
export const t = i18n.t;
