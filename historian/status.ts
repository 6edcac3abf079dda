/**
 * OPC UA StatusCode helpers (Part 4 §7.39, Part 11 §6.3.2 for the historian bits).
 * A status is a uint32: severity in bits 30-31 (00 good, 01 uncertain, 10 bad),
 * sub-code in 16-29, InfoType in 10-11, historian info bits in 0-4.
 */
import { STATUS_NAMES } from './status-names.js';

export type StatusCode = number;

export const Good = 0x00000000;
/** The bare severities (no sub-code): what Part 13 returns for e.g. Count over only Bad values. */
export const Uncertain = 0x40000000;
export const Bad = 0x80000000;
// The codes Vigil itself uses by name (Part 4 §7.39 / Part 6 StatusCode.csv). Names of all of
// them, these and every other, come from status-names.ts through statusNameOf: the station, the
// CSV edge and the console all name a code from here.
export const GoodNoData = 0x00a50000;
/** The value is forced (substituted locally at the source), not what the process measures. */
export const GoodLocalOverride = 0x00960000;
export const GoodClamped = 0x00300000;
export const UncertainSubstituteValue = 0x40910000;
export const UncertainInitialValue = 0x40920000;
export const UncertainSimulatedValue = 0x42090000;
export const UncertainSensorCalibration = 0x420a0000;
export const BadDeviceFailure = 0x808b0000;
export const UncertainLastUsableValue = 0x40900000;
export const UncertainSensorNotAccurate = 0x40930000;
export const UncertainEngineeringUnitsExceeded = 0x40940000;
export const UncertainSubNormal = 0x40950000;
export const UncertainNoCommunicationLastUsableValue = 0x408f0000;
export const UncertainDataSubNormal = 0x40a40000;
export const BadUnexpectedError = 0x80010000;
export const BadInternalError = 0x80020000;
export const BadCommunicationError = 0x80050000;
export const BadNoCommunication = 0x80310000;
export const BadWaitingForInitialData = 0x80320000;
export const BadNodeIdInvalid = 0x80330000;
export const BadNodeIdUnknown = 0x80340000;
export const BadAttributeIdInvalid = 0x80350000;
export const BadNotReadable = 0x803a0000;
/** A value the station cannot use as a number: NaN or ±Infinity from OPC UA, an Int64 beyond what a state can be. */
export const BadOutOfRange = 0x803c0000;
export const BadUserAccessDenied = 0x801f0000;
export const BadMonitoredItemFilterUnsupported = 0x80440000;
export const BadFilterNotAllowed = 0x80450000;
export const BadHistoryOperationUnsupported = 0x80720000;
export const BadDeadbandFilterInvalid = 0x808e0000;
export const BadTypeMismatch = 0x80740000;
export const BadConfigurationError = 0x80890000;
export const BadNotConnected = 0x808a0000;
export const BadSensorFailure = 0x808c0000;
export const BadOutOfService = 0x808d0000;
export const BadNoData = 0x809b0000;
/** Data the archive holds but cannot give now: its volume file is missing or damaged (OPC UA Part 11). */
export const BadDataUnavailable = 0x809e0000;

/** InfoType = DataValue: the low bits carry historian information. */
export const InfoTypeDataValue = 0x00000400;
/** Historian bits 0-1: how the value was produced. */
export const HistorianRaw = 0x0;
export const HistorianCalculated = 0x1;
export const HistorianInterpolated = 0x2;
/** Bit 2: the interval the value stands for was not complete. */
export const HistorianPartial = 0x4;
/** Bit 3: more values exist at the same timestamp (not returned). */
export const HistorianExtraData = 0x8;
/** Bit 4: several values at the same timestamp were returned. */
export const HistorianMultiValue = 0x10;

export type Severity = 'good' | 'uncertain' | 'bad';

export function severity(status: StatusCode): Severity {
  const s = status >>> 30;
  return s === 0 ? 'good' : s === 1 ? 'uncertain' : 'bad';
}
export const isGood = (s: StatusCode): boolean => s >>> 30 === 0;
export const isUncertain = (s: StatusCode): boolean => s >>> 30 === 1;
export const isBad = (s: StatusCode): boolean => s >>> 30 >= 2;

/** The status without InfoType and info bits: what identifies the condition. */
export const codeOf = (s: StatusCode): StatusCode => (s & 0xffff0000) >>> 0;

/** Limit bits 8-9 of a DataValue status (Part 4 §7.39.2): 01 low, 10 high, 11 constant. */
export const LimitLow = 0x100;
export const LimitHigh = 0x200;
export const LimitConstant = 0x300;

/** The limit bits, when the InfoType says the low bits are a DataValue's (otherwise they mean nothing). */
export const limitBitsOf = (s: StatusCode): number => ((s & 0xc00) === InfoTypeDataValue ? s & 0x300 : 0);

/**
 * The value's condition: its code and its limit bits. A change of either is archived, whatever
 * the compression: a sensor pinned at its high limit is another fact than one reading high.
 */
export const conditionOf = (s: StatusCode): StatusCode => (codeOf(s) | limitBitsOf(s)) >>> 0;

const noLiveData: ReadonlySet<StatusCode> = new Set([
  BadNoCommunication, BadNotConnected, BadWaitingForInitialData, BadCommunicationError, UncertainNoCommunicationLastUsableValue,
  UncertainLastUsableValue,
]);

/**
 * The status says "no live data from the source" rather than "the source says its value is bad":
 * communication lost or not yet established, or the source's last usable value (it stopped
 * updating: stale). A value with such a status tells nothing about the process now.
 */
export function isNoLiveData(status: StatusCode): boolean {
  return status !== Good && noLiveData.has(codeOf(status));
}

/** SemanticsChanged and StructureChanged (bits 14, 15; Part 4 §7.39): the value's meaning or type changed at it. */
export const SemanticsChanged = 0x4000;
export const StructureChanged = 0x8000;
/** Overflow (bit 7, with InfoType DataValue): the server's queue dropped values before this one. */
export const Overflow = 0x80;

/**
 * The status says something happened at this value: the server's queue lost values before it
 * (Overflow), or its meaning or type changed at it. Such a value is archived whatever the
 * compression: the archive must show where values were lost or began to mean something else.
 */
export const marksEvent = (s: StatusCode): boolean =>
  (s & (SemanticsChanged | StructureChanged)) !== 0 || ((s & 0xc00) === InfoTypeDataValue && (s & Overflow) !== 0);

/**
 * Marks a status with Part 11 historian bits (InfoType DataValue + bits), keeping what the source
 * said of the value beside its code: limit bits, Overflow, SemanticsChanged, StructureChanged (a
 * read had dropped them: the archive no longer showed where a server's queue lost samples).
 */
export function withHistorianBits(status: StatusCode, bits: number): StatusCode {
  const dataValue = (status & 0xc00) === InfoTypeDataValue ? status & (0x300 | Overflow) : 0;
  return ((codeOf(status) | InfoTypeDataValue | dataValue | (status & (SemanticsChanged | StructureChanged)) | (bits & 0x1f)) >>> 0);
}

/**
 * The status as the archive keeps it: without what a read adds to it. A read marks every value
 * with InfoType DataValue and Part 11's historian bits 0-4 (Raw, Calculated, Interpolated,
 * Partial, ExtraData, MultiValue: how the read produced it; withHistorianBits); stored, they are
 * replaced by the next read's. What the source said of the value stays: its code, limit bits,
 * Overflow (with the InfoType they need), SemanticsChanged, StructureChanged. An exported
 * 0x00000400 is the archived Good: withHistorianBits(s, bits) === withHistorianBits(archivedStatusOf(s), bits).
 */
export function archivedStatusOf(status: StatusCode): StatusCode {
  const dataValue = (status & 0xc00) === InfoTypeDataValue ? status & (0x300 | Overflow) : 0;
  return (codeOf(status) | (dataValue !== 0 ? InfoTypeDataValue | dataValue : 0) | (status & (SemanticsChanged | StructureChanged))) >>> 0;
}

// Every code OPC UA names (status-names.ts): an archive names whatever a server sent.
const nameByCode = new Map<StatusCode, string>();
const codeByName = new Map<string, StatusCode>();
for (const [code, name] of STATUS_NAMES) {
  nameByCode.set(code, name);
  codeByName.set(name.toLowerCase(), code);
}

/** The code's name ("BadSensorFailure"), ignoring info bits; null when Vigil has no name for it. */
export function statusNameOf(status: StatusCode): string | null {
  return nameByCode.get(codeOf(status)) ?? null;
}

/** The code of a name, any letter case ("badsensorfailure"); undefined when unknown. */
export function statusCodeNamed(name: string): StatusCode | undefined {
  return codeByName.get(name.toLowerCase());
}

/** "0x808C0000". */
export function statusHex(status: StatusCode): string {
  return '0x' + (status >>> 0).toString(16).toUpperCase().padStart(8, '0');
}
