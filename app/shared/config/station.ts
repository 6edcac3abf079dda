/** The station block: its name, language and archive defaults. */
import { z } from 'zod';
import { compressionSchema } from './compression.js';
import { locales } from '../i18n/locales.js';

/** A UTC offset (+02:00, -0530, Z) or an IANA time zone name the runtime knows (Europe/Berlin), as the historian CLI's --tz takes. */
function isTimeZone(text: string): boolean {
  const offset = /^[+-](\d\d):?(\d\d)$/.exec(text);
  if (offset) return Number(offset[1]) * 60 + Number(offset[2]) <= 23 * 60 + 59;
  if (/^(z|utc)$/i.test(text)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: text });
    return true;
  } catch {
    return false;
  }
}

/**
 * How the CSV inbox (<data>/inbox) reads times and text, as the historian CLI's --tz, --date-order,
 * --epoch and --encoding do. Without timeZone a file whose times carry no offset is refused (moved to rejected/): archived
 * as UTC, a plant's local times would be hours off and look Good.
 */
/** An encoding name TextDecoder takes (the inbox's files decoded as the historian CLI's --encoding). */
function isEncoding(text: string): boolean {
  try {
    new TextDecoder(text);
    return true;
  } catch {
    return false;
  }
}

export const inboxSchema = z.strictObject({
  timeZone: z.string().refine(isTimeZone, 'expected a UTC offset (+02:00, -0530, Z) or an IANA time zone name (Europe/Berlin)').optional(),
  dateOrder: z.enum(['dmy', 'mdy']).optional(),
  epoch: z.enum(['auto', 's', 'ms', 'excel']).optional(),
  /** The files' encoding when not UTF-8 (what Russian or Chinese Windows saves as "CSV"); a name TextDecoder takes. */
  encoding: z.string().refine(isEncoding, 'expected an encoding name such as utf-8, windows-1251, koi8-r, gb18030, gbk, big5, shift_jis or utf-16le').optional(),
});

export const stationSchema = z.strictObject({
  name: z.string().min(1),
  /** The console's language; each console may switch for itself. */
  locale: z.enum(locales).default('en'),
  defaultCompression: compressionSchema.default({ kind: 'deadband', deviation: 0.1, percentOfSpan: true }),
  /** The CSV inbox's settings (inboxSchema). */
  inbox: inboxSchema.optional(),
});
