/**
 * Loads the station YAML and turns every schema issue into a message that
 * names the file, the line, the field and what was expected.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isNode, isScalar, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { stationConfigSchema, type StationConfig } from '../../shared/config.js';
import { osaDistance } from './edit-distance.js';

export interface ConfigProblem {
  line: number;
  column: number;
  field: string;
  message: string;
  /** The problem as a catalog key and params, where a check gives one: a console says it in its own language. */
  text?: ConfigProblemText;
}

/** A custom issue's `params.text`: what a console shows for it (the file and the log keep `message`). */
export interface ConfigProblemText {
  key: string;
  params: Record<string, string | number>;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
    headline?: string,
  ) {
    super(
      headline ??
        `invalid station config ${file}:\n` +
          problems.map((p) => `  ${file}:${p.line}:${p.column}: ${p.field || '(document)'}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

export function loadStationConfig(file: string, check?: ConfigCheck): StationConfig {
  return parseStationConfig(readStationConfigText(file), file, check);
}

/** The config file's text, strictly UTF-8 (ConfigError otherwise): read so at start and before every edit. */
export function readStationConfigText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.code === 'EISDIR' ? 'it is a directory' : e.message;
    throw new ConfigError(file, [], `cannot read station config ${file}: ${why}`);
  }
  return decodeUtf8(bytes, file);
}

/**
 * The file's text, or a ConfigError at the first byte that is not UTF-8: a
 * lenient decode would put U+FFFD in its place, and an edit would then write
 * that back for good. A UTF-8 byte-order mark is dropped.
 */
function decodeUtf8(bytes: Buffer, file: string): string {
  const refuse = (at: number, why: string): never => {
    const { line, column } = bytePosition(bytes, at);
    const message = `not UTF-8 ${why}; save the file as UTF-8`;
    throw new ConfigError(file, [{ line, column, field: '', message }], `invalid station config ${file}:\n  ${file}:${line}:${column}: ${message}`);
  };
  // UTF-16 (by its byte-order mark, or by the NUL bytes of its ASCII characters); YAML text never holds a NUL.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) refuse(0, '(UTF-16?)');
  const nul = bytes.indexOf(0);
  if (nul >= 0) refuse(nul, '(UTF-16?): a NUL byte');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    return refuse(at, at < bytes.length ? `(byte 0x${bytes[at].toString(16).toUpperCase().padStart(2, '0')}; Latin-1 or Windows-1252?)` : '');
  }
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (Unicode Table 3-7). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c < 0x80) n = 0;
    else if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) [n, lo, hi] = [2, c === 0xe0 ? 0xa0 : 0x80, c === 0xed ? 0x9f : 0xbf];
    else if (c >= 0xf0 && c <= 0xf4) [n, lo, hi] = [3, c === 0xf0 ? 0x90 : 0x80, c === 0xf4 ? 0x8f : 0xbf];
    else return i;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return b.length;
}

/** 1-based line and column (in characters, as the YAML errors count them) of a byte offset. */
function bytePosition(bytes: Buffer, at: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < at; i = bytes.indexOf(0x0a, i + 1)) {
    line++;
    start = i + 1;
  }
  // Everything before `at` is valid UTF-8; a byte-order mark is no column.
  const before = bytes.subarray(start, at).toString('utf8').replace(/^\uFEFF/, '');
  return { line, column: [...before].length + 1 };
}

/** A problem a module finds in a config the schema took (e.g. against what is stored), at a path of it. */
export interface ConfigCheckIssue {
  path: (string | number)[];
  message: string;
}
export type ConfigCheck = (config: StationConfig) => ConfigCheckIssue[];

export function parseStationConfig(text: string, file: string, check?: ConfigCheck): StationConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return { line: pos.line, column: pos.col, field: '', message: `YAML syntax: ${e.message.split('\n')[0]}` };
      }),
    );
  }
  if (doc.contents === null) {
    throw new ConfigError(file, [{ line: 1, column: 1, field: '', message: 'expected the station config (station, servers, areas, tags), got an empty file' }]);
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (err) {
    // yaml refuses aliases that expand past its limit (an "alias bomb"); any other refusal is about the file too.
    const why = /alias count/i.test((err as Error).message)
      ? 'YAML aliases: they expand to too many values (more than yaml\'s limit, as an "alias bomb" does); write the values out or use fewer aliases'
      : `YAML: ${(err as Error).message}`;
    const { line, column } = firstAlias(doc, lines);
    throw new ConfigError(file, [{ line, column, field: '', message: why }]);
  }
  const result = stationConfigSchema.safeParse(value, { reportInput: true });
  if (!result.success) throw new ConfigError(file, inFileOrder(result.error.issues.flatMap((issue) => describeIssue(issue, doc, lines))));
  const issues = check?.(result.data) ?? [];
  if (issues.length > 0) {
    throw new ConfigError(file, inFileOrder(issues.map(({ path, message }) => {
      const pos = lines.linePos(offsetOf(doc, path));
      return { line: pos.line, column: pos.col, field: fieldName(path), message };
    })));
  }
  return result.data;
}

/** Problems as an engineer reads the file: top to bottom (the schema reports them by its own order). */
function inFileOrder(problems: ConfigProblem[]): ConfigProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

function describeIssue(issue: z.core.$ZodIssue, doc: Document, lines: LineCounter): ConfigProblem[] {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  // Each unknown key on its own line, pointed at the key itself (a typo is found where it was typed).
  if (issue.code === 'unrecognized_keys') {
    const known = fieldsAt(stationConfigSchema, path);
    return issue.keys.map((key) => {
      const pos = lines.linePos(keyOffset(doc, path, key) ?? offsetOf(doc, path));
      return { line: pos.line, column: pos.col, field: fieldName([...path, key]), message: unknownField(key, known) };
    });
  }
  const pos = lines.linePos(offsetOf(doc, path));
  let message = expectation(issue);
  // A problem that involves a second place (a duplicate) names that place's line too.
  const other = issue.code === 'custom' ? (issue.params as { firstPath?: (string | number)[] } | undefined)?.firstPath : undefined;
  if (other) message += ` (line ${lines.linePos(offsetOf(doc, other)).line})`;
  const text = issue.code === 'custom' ? (issue.params as { text?: ConfigProblemText } | undefined)?.text : undefined;
  return [{ line: pos.line, column: pos.col, field: fieldName(path), message, ...(text ? { text } : {}) }];
}

/** Where a key of the mapping at `path` is written. */
function keyOffset(doc: Document, path: (string | number)[], key: string): number | undefined {
  const map = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (!isMap(map)) return undefined;
  const pair = map.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === key);
  return isNode(pair?.key) ? pair.key.range?.[0] : undefined;
}

/** Near: within one edit per three letters of the field, two at most; two letters swapped are one edit ("nmae" → "name"). */
function unknownField(key: string, known: string[]): string {
  const near = known.filter((k) => k.toLowerCase() === key.toLowerCase() || osaDistance(k, key) <= Math.min(2, Math.floor(k.length / 3)));
  if (near.length > 0) return `unknown field "${key}": did you mean ${near.map((k) => `"${k}"`).join(' or ')}?`;
  return known.length > 0 ? `unknown field "${key}": expected one of ${known.join(', ')}` : `unknown field "${key}"`;
}

/** The fields the schema takes at a path (of every option where it has several). */
function fieldsAt(schema: z.core.$ZodType, path: (string | number)[]): string[] {
  const found = new Set<string>();
  const walk = (s: z.core.$ZodType, rest: (string | number)[], depth: number): void => {
    if (depth > 64) return;
    const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
    const inner = (def.innerType ?? (def.type === 'pipe' ? def.in : def.type === 'lazy' ? (def.getter as () => z.core.$ZodType)() : undefined)) as z.core.$ZodType | undefined;
    if (inner) return walk(inner, rest, depth + 1);
    if (def.type === 'union') return (def.options as z.core.$ZodType[]).forEach((o) => walk(o, rest, depth + 1));
    if (def.type === 'intersection') return [def.left, def.right].forEach((o) => walk(o as z.core.$ZodType, rest, depth + 1));
    const [head, ...tail] = rest;
    if (def.type === 'object') {
      const shape = def.shape as Record<string, z.core.$ZodType>;
      if (rest.length === 0) Object.keys(shape).forEach((k) => found.add(k));
      else if (typeof head === 'string' && shape[head]) walk(shape[head], tail, depth + 1);
    } else if (def.type === 'array' && typeof head === 'number') walk(def.element as z.core.$ZodType, tail, depth + 1);
    else if (def.type === 'record') {
      const keys = (def.keyType as z.core.$ZodType)._zod.values;
      if (rest.length > 0) walk(def.valueType as z.core.$ZodType, tail, depth + 1);
      else keys?.forEach((k) => found.add(String(k)));
    }
    else if (def.type === 'tuple' && typeof head === 'number') {
      const item = (def.items as z.core.$ZodType[])[head];
      if (item) walk(item, tail, depth + 1);
    }
  };
  walk(schema, path, 0);
  return [...found];
}

/** Where the first alias is (1:1 without one): where the expansion starts. */
function firstAlias(doc: Document, lines: LineCounter): { line: number; column: number } {
  let at = 0;
  visit(doc, {
    Alias(_, node) {
      at = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  const pos = lines.linePos(at);
  return { line: pos.line, column: pos.col };
}

/** The deepest node of the path that exists: a missing field points at its parent. */
function offsetOf(doc: Document, path: (string | number)[]): number {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return 0;
}

function fieldName(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function expectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      // A schema's own wording ("expected [low, high]") says more than the type's name ("tuple").
      const what = issue.message.startsWith('expected ') ? issue.message.slice('expected '.length) : issue.expected;
      if (issue.input === undefined) return `missing: expected ${what}`;
      if (typeof issue.input === 'number' && !Number.isFinite(issue.input)) return `expected a finite number, got ${describe(issue.input)}`;
      return `expected ${what}, got ${describe(issue.input)}`;
    }
    case 'invalid_value':
      return oneOf(issue.values, issue.input);
    case 'invalid_union': {
      // A discriminated union's issue carries the whole mapping: the value found is its discriminator field.
      const { discriminator, options } = issue as { discriminator?: string; options?: unknown[] };
      if (discriminator !== undefined && options && isRecord(issue.input)) return oneOf(options, issue.input[discriminator]);
      return `${issue.message}${issue.input !== undefined ? `, got ${describe(issue.input)}` : ''}`;
    }
    case 'too_small':
    case 'too_big': {
      const got = issue.input !== undefined ? `, got ${describe(issue.input)}` : '';
      // A schema's own wording ("expected a priority 1..4") says more than the bound alone.
      if (issue.message.startsWith('expected ')) return `${issue.message}${got}`;
      if (issue.origin !== 'number' && issue.origin !== 'int') return issue.message;
      const inclusive = issue.inclusive !== false;
      const bound = issue.code === 'too_small' ? (inclusive ? 'at least' : 'more than') : inclusive ? 'at most' : 'less than';
      const limit = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      return `expected a number ${bound} ${String(limit)}${got}`;
    }
    default:
      // A schema's own "expected ..." says what was wanted; add what was found, as the other messages do.
      // (A custom check's input is the object it checks, not the field: only a format's input is the field's own.)
      if (issue.code === 'invalid_format' && issue.input !== undefined && issue.message.startsWith('expected ') && !/, got /.test(issue.message)) return `${issue.message}, got ${describe(issue.input)}`;
      return issue.message;
  }
}

function oneOf(values: readonly unknown[], input: unknown): string {
  const expected = `expected one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
  return input === undefined ? `missing: ${expected}` : `${expected}, got ${describe(input)}`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  // JSON would print NaN and Infinity as null.
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (typeof v === 'string' && v.length > 80) return `string ${JSON.stringify(v.slice(0, 80))}…`;
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}
