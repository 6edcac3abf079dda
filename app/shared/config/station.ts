/** The station block: its name, language and archive defaults. */
import { z } from 'zod';
import { compressionSchema } from './compression.js';
import { locales } from '../i18n/locales.js';

export const stationSchema = z.strictObject({
  name: z.string().min(1),
  /** The console's language; each console may switch for itself. */
  locale: z.enum(locales).default('en'),
  defaultCompression: compressionSchema.default({ kind: 'deadband', deviation: 0.1, percentOfSpan: true }),
});
