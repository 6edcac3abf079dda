/**
 * Which OPC UA data types fit which tag kind. The station reads a variable's
 * DataType and ValueRank before it subscribes, and refuses a tag whose type
 * does not fit its kind (a String read as analog, an array, a structure)
 * instead of archiving nonsense; the same rule checks every value's Variant
 * on arrival, for variables typed BaseDataType that may carry anything.
 */
import { DataType } from 'node-opcua-client';
import type { TagConfigEntry } from '../../shared/config.js';
import { BadConfigurationError, BadTypeMismatch } from '../../../historian/status.js';

export type TagKind = TagConfigEntry['kind'];

/** What the server says a variable holds, its DataType resolved to a built-in type. */
export interface NodeType {
  /** The built-in type the DataType derives from; Variant for BaseDataType (anything). */
  builtIn: DataType;
  /** The DataType derives from Enumeration (values are Int32). */
  enumeration: boolean;
  /** The DataType derives from Structure (an ExtensionObject). */
  structure: boolean;
  /** The DataType's own name as the server gives it ("Double", "MyEnum", "Duration"). */
  name: string;
  /** -1 scalar, -2 any, -3 scalar or one dimension, 0 one or more dimensions, n ≥ 1 dimensions. */
  valueRank: number;
  /** The variable's AccessLevel has HistoryRead (the server keeps its history). */
  historyReadable: boolean;
  /** An enumeration's states as its DataType names them (EnumStrings or EnumValues); null when it names none. */
  states?: EnumState[] | null;
}

/** One state of an enumeration: its Int32 value and the name the server gives it ("Open"). */
export interface EnumState {
  value: number;
  name: string;
}

/** Why a tag cannot be acquired as configured: a status for the value, a message key for the console. */
export interface Refusal {
  status: number;
  key: 'acquisition.issue.array' | 'acquisition.issue.structure' | 'acquisition.issue.kindMismatch' | 'acquisition.issue.unsupportedType';
  params: Record<string, string>;
  /** The same in English, for the log. */
  detail: string;
}

const INTEGERS = new Set([DataType.SByte, DataType.Byte, DataType.Int16, DataType.UInt16, DataType.Int32, DataType.UInt32, DataType.Int64, DataType.UInt64]);
const NUMBERS = new Set([...INTEGERS, DataType.Float, DataType.Double]);
const TEXTS = new Set([DataType.String, DataType.LocalizedText, DataType.DateTime]);

/** The built-in types (and enumerations) each kind takes. */
export function fits(kind: TagKind, builtIn: DataType, enumeration: boolean): boolean {
  switch (kind) {
    case 'analog': return NUMBERS.has(builtIn) && !enumeration;
    case 'discrete': return builtIn === DataType.Boolean || INTEGERS.has(builtIn) || enumeration;
    // A 64-bit counter beyond 2^53 keeps all its digits only as text.
    case 'text': return (TEXTS.has(builtIn) || builtIn === DataType.Int64 || builtIn === DataType.UInt64) && !enumeration;
  }
}

/** The kind a variable of this type is best acquired as (for browsing); null when none fits. */
export function suggestedKind(type: Pick<NodeType, 'builtIn' | 'enumeration' | 'structure' | 'valueRank'>): TagKind | null {
  if (type.structure || !scalarRank(type.valueRank)) return null;
  if (type.builtIn === DataType.Boolean || type.enumeration) return 'discrete';
  if (NUMBERS.has(type.builtIn)) return 'analog';
  if (TEXTS.has(type.builtIn)) return 'text';
  return null;
}

/** Ranks that can hold a scalar: Scalar (-1), Any (-2), ScalarOrOneDimension (-3). */
const scalarRank = (rank: number): boolean => rank === -1 || rank === -2 || rank === -3;

export function typeName(type: Pick<NodeType, 'builtIn' | 'name'>): string {
  return type.name || DataType[type.builtIn] || `DataType ${type.builtIn}`;
}

/** null when the tag can be acquired; otherwise why not. */
export function refusalFor(kind: TagKind, type: NodeType): Refusal | null {
  const name = typeName(type);
  if (!scalarRank(type.valueRank)) {
    return {
      status: BadConfigurationError, key: 'acquisition.issue.array', params: { dataType: name, valueRank: String(type.valueRank) },
      detail: `the variable is an array (DataType ${name}, ValueRank ${type.valueRank}); Vigil acquires scalars only`,
    };
  }
  if (type.structure) {
    return {
      status: BadConfigurationError, key: 'acquisition.issue.structure', params: { dataType: name },
      detail: `the variable holds a structure (${name}); acquire its scalar fields as separate variables`,
    };
  }
  // BaseDataType (or an abstract number type): any value may come; each is checked on arrival.
  if (type.builtIn === DataType.Variant) return null;
  if (fits(kind, type.builtIn, type.enumeration)) return null;
  const known = NUMBERS.has(type.builtIn) || TEXTS.has(type.builtIn) || type.builtIn === DataType.Boolean || type.enumeration;
  if (!known) {
    return {
      status: BadConfigurationError, key: 'acquisition.issue.unsupportedType', params: { dataType: name },
      detail: `the variable's type ${name} is not one Vigil archives (numbers, Boolean, String, LocalizedText, DateTime, enumerations)`,
    };
  }
  return {
    status: BadTypeMismatch, key: 'acquisition.issue.kindMismatch', params: { dataType: name, kind },
    detail: `the variable is ${name}, which does not fit kind ${kind} (${expected(kind)})`,
  };
}

function expected(kind: TagKind): string {
  switch (kind) {
    case 'analog': return 'expected Float, Double or an integer type';
    case 'discrete': return 'expected Boolean, an integer type or an enumeration';
    case 'text': return 'expected String, LocalizedText, DateTime, Int64 or UInt64';
  }
}
