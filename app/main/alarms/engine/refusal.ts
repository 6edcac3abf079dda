/**
 * Why the engine refused an operator action. The reason names the message key
 * (alarms.refused.<reason>) the console shows; the handlers turn it into an
 * API failure with its code.
 */
export type RefusalReason =
  | 'changed'
  | 'unknownAlarm'
  | 'notShelvable'
  | 'shelveTooLong'
  | 'notShelved'
  | 'notActive'
  | 'notLatched'
  | 'ackFirst'
  | 'conditionPresent'
  | 'suspect'
  | 'alreadyOutOfService'
  | 'notOutOfService'
  | 'notConfirmable'
  | 'noSuchCondition'
  | 'notConfigurable';

export class AlarmRefusal extends Error {
  constructor(
    readonly reason: RefusalReason,
    message: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'AlarmRefusal';
  }
}
