/**
 * The alarm detail's "Settings" line: deadband, on- and off-delay, a frozen-value alarm's window
 * (else seen only in the settings dialog), latching and not shelvable, in the console's language.
 */
import type { AlarmDefinition } from '../../../shared/api/alarms.js';
import type { Lang } from '../value-view.js';
import { editableNumber } from './settings-form.js';

export function settingsLine(def: AlarmDefinition, lang: Lang): string {
  const parts = [lang.t('alarmsUi.detail.settingsText', {
    deadband: editableNumber(def.deadband, lang.fmt.number.bind(lang.fmt)), unit: def.deadbandPercentOfSpan ? '%' : def.unit, on: def.onDelayS, off: def.offDelayS,
  })];
  if (def.frozenAfterS !== undefined) parts.push(lang.t('alarmsUi.detail.frozenAfter', { duration: lang.fmt.duration(def.frozenAfterS * 1000) }));
  if (def.latching) parts.push(lang.t('alarmsUi.detail.latching'));
  if (!def.shelvable) parts.push(lang.t('alarmsUi.detail.notShelvable'));
  return parts.join(' · ');
}
