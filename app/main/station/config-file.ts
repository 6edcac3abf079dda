/**
 * Loads the station YAML and turns every schema issue into a message that
 * names the file, the line, the field and what was expected.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { z } from 'zod';
import { stationConfigSchema, type StationConfig } from '../../shared/config.js';

export interface ConfigProblem {
  line: number;
  column: number;
  field: string;
  message: string;
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

export function loadStationConfig(file: string): StationConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.code === 'EISDIR' ? 'it is a directory' : e.message;
    throw new ConfigError(file, [], `cannot read station config ${file}: ${why}`);
  }
  return parseStationConfig(text, file);
}

export function parseStationConfig(text: string, file: string): StationConfig {
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
  const result = stationConfigSchema.safeParse(doc.toJS(), { reportInput: true });
  if (result.success) return result.data;
  throw new ConfigError(file, result.error.issues.map((issue) => describeIssue(issue, doc, lines)));
}

function describeIssue(issue: z.core.$ZodIssue, doc: Document, lines: LineCounter): ConfigProblem {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  const pos = lines.linePos(offsetOf(doc, path));
  let message = expectation(issue);
  // A problem that involves a second place (a duplicate) names that place's line too.
  const other = issue.code === 'custom' ? (issue.params as { firstPath?: (string | number)[] } | undefined)?.firstPath : undefined;
  if (other) message += ` (line ${lines.linePos(offsetOf(doc, other)).line})`;
  return { line: pos.line, column: pos.col, field: fieldName(path), message };
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
      return issue.input === undefined ? `missing: expected ${what}` : `expected ${what}, got ${describe(issue.input)}`;
    }
    case 'unrecognized_keys':
      return `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(issue.input)}`;
    case 'invalid_union':
      return `${issue.message}${issue.input !== undefined ? `, got ${describe(issue.input)}` : ''}`;
    default:
      return issue.message;
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}
