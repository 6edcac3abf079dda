/**
 * The engineer's alarm settings (limits, priorities, delays, deadband): the console's dialog and
 * the station's refusals of such an edit (app/main/alarms/handlers.ts, app/shared/config/alarms.ts). ICU MessageFormat.
 */
export const alarmSettings = {
  // The station's refusals, with the console's check of the same rule before sending.
  'alarms.refused.limitOutsideRange': '{condition} {value, number}{unit} is outside the tag’s range {low, number} … {high, number}{unit}: a limit there can never trip.',
  'alarms.refused.limitOrder': '{higher} ({higherValue, number}) must be above {lower} ({lowerValue, number}).',
  'alarms.refused.notPositive': '{condition} must be above 0.',
  'alarms.refused.deadbandPercentTooBig': 'A deadband is at most {max, number} % of span.',
  'alarms.refused.percentNeedsRange': 'A deadband in % of span needs the tag’s range; {tag} has none.',
  'alarms.refused.nothingToChange': 'Nothing to save for {alarm}: no setting was given to change.',

  'alarmsUi.action.editSettings': 'Edit settings…',
  'alarmsUi.settings.title': 'Settings of {alarm}',
  'alarmsUi.settings.intro': 'Saved to the station config all together or not at all, and in effect at once. The changes are audited with your comment.',
  'alarmsUi.settings.range': 'Tag range: {low} … {high}',
  'alarmsUi.settings.noRange': 'Tag range: not configured',
  'alarmsUi.settings.limits': 'Limits and priorities',
  'alarmsUi.settings.condition': 'Condition',
  'alarmsUi.settings.limit': 'Limit',
  'alarmsUi.settings.priority': 'Priority',
  'alarmsUi.settings.limitOf': '{condition} limit',
  'alarmsUi.settings.priorityOf': '{condition} priority',
  'alarmsUi.settings.perMinute': '{unit}/min',
  'alarmsUi.settings.deviation': 'from the setpoint',
  'alarmsUi.settings.timing': 'Delays and deadband',
  'alarmsUi.settings.onDelay': 'On-delay, s',
  'alarmsUi.settings.offDelay': 'Off-delay, s',
  'alarmsUi.settings.deadband': 'Deadband',
  'alarmsUi.settings.deadbandIn': 'Deadband in',
  'alarmsUi.settings.units': 'units ({unit})',
  'alarmsUi.settings.unitsPlain': 'engineering units',
  'alarmsUi.settings.percentOfSpan': '% of span',
  'alarmsUi.settings.comment': 'Comment (required: why it changes, e.g. the MOC number)',
  'alarmsUi.settings.submit': 'Save',
  'alarmsUi.settings.notNumber': '“{text}” is not a number.',
  'alarmsUi.settings.delayRange': 'A delay is from 0 to {max, number} s.',
  'alarmsUi.settings.negative': 'A deadband cannot be below 0.',
  'alarmsUi.settings.nothingChanged': 'Nothing is changed: change a setting, or cancel.',
  'alarmsUi.settings.commentRequired': 'A comment is required: say why the setting changes.',
  'alarmsUi.settings.saved': '{alarm}: {count, plural, one {# change saved} other {# changes saved}}.',
  'alarmsUi.settings.changedMeanwhile': '{setting} was changed to {value} by someone else while this form was open: check it, then save again.',
} as const;
