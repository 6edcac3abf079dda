/**
 * The English catalog, the source of every other language. One file per
 * area of the console; keys are "<area>.<what>", messages are ICU
 * MessageFormat (plurals, selects, numbers) so translations need no code.
 */
import { alarms } from './alarms.js';
import { alarmSettings } from './alarm-settings.js';
import { alarmsUi } from './alarms-ui.js';
import { accounts } from './accounts.js';
import { acquisition } from './acquisition.js';
import { common } from './common.js';
import { overview } from './overview.js';
import { permissions } from './permissions.js';
import { shell } from './shell.js';
import { sync } from './sync.js';
import { syncTexts } from './sync-texts.js';
import { tags } from './tags.js';
import { trends } from './trends.js';
import { values } from './values.js';

export const en = {
  ...common,
  ...shell,
  ...values,
  ...overview,
  ...tags,
  ...sync,
  ...syncTexts,
  ...alarms,
  ...alarmsUi,
  ...alarmSettings,
  ...accounts,
  ...acquisition,
  ...trends,
  ...permissions,
} as const;
