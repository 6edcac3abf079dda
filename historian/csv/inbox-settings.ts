/**
 * The station's inbox settings (config station.inbox: timeZone, dateOrder, epoch, encoding) as import
 * options, what the historian CLI's --tz, --date-order, --epoch and --encoding give. Without a time zone, a file whose
 * times carry no offset is refused whole (rejected/, with its report): archived as UTC, a plant's
 * local times were hours off and Good, and nobody reads an inbox file with --tz to correct it.
 */
import type { ImportOptions } from './import.js';
import { parseZone } from './zone.js';
import { encodingOf } from './transcode.js';

export interface InboxTimeSettings {
  /** A UTC offset (+02:00) or an IANA zone name (Europe/Berlin): of times written without an offset. */
  timeZone?: string;
  dateOrder?: 'dmy' | 'mdy';
  epoch?: 'auto' | 's' | 'ms' | 'excel';
  /** The files' encoding when not UTF-8 (windows-1251, gb18030, ...: transcode.ts). */
  encoding?: string;
}

/** What a file with times without an offset is refused with when no time zone is set. */
export const INBOX_ZONE_MISSING = 'the inbox has no time zone set (station.inbox.timeZone in the station config, e.g. Europe/Berlin or +01:00): ' +
  'nothing imported, lest local times be archived as UTC; set it and restart the station, or write the times with an offset, then drop the file in the inbox again';

export function inboxImportOptions(settings: InboxTimeSettings = {}): Pick<ImportOptions, 'zone' | 'dateOrder' | 'epoch' | 'zoneMissing' | 'encoding'> {
  const zone = settings.timeZone === undefined ? undefined : parseZone(settings.timeZone);
  // The config's schema checked the name; one this runtime does not know refuses offsetless files as a missing one does.
  return {
    ...(zone ? { zone } : { zoneMissing: INBOX_ZONE_MISSING }),
    ...(settings.dateOrder ? { dateOrder: settings.dateOrder } : {}),
    ...(settings.epoch ? { epoch: settings.epoch } : {}),
    ...(settings.encoding ? { encoding: encodingOf(settings.encoding) } : {}),
  };
}
