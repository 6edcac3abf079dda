/**
 * The station config seen part by part (the station block, each server, area
 * and tag), so that the checks spanning parts can run on every part that
 * parsed while another part has schema errors: one load then reports every
 * problem of the file. A part is taken unless the schema aborted in it (a
 * wrong type, a missing field, a value not among those allowed): a problem a
 * check found (a number out of bounds, an unknown key) leaves its value whole.
 * A part that was not taken keeps only the key it was written with (its id
 * or name), so that references to it and duplicates of it are judged as
 * written, and no reference to it is reported as unknown.
 */
import type { z } from 'zod';

/** One entry of a list: its parsed value (undefined when the schema aborted in it) and its id or name as written. */
export interface Entry<T> {
  value: T | undefined;
  key: string | undefined;
}

/** A list of entries; undefined where the list itself is not one (e.g. a mapping where a list belongs). */
export type Entries<T> = Entry<T>[] | undefined;

/** The keys written in a list; complete is false where some key cannot be read (then no reference is "unknown"). */
export interface Keys {
  has(key: string): boolean;
  readonly list: string[];
  readonly complete: boolean;
}

export function keysOf(entries: Entries<unknown>): Keys {
  const list = (entries ?? []).flatMap((e) => (e.key === undefined ? [] : [e.key]));
  const set = new Set(list);
  return { has: (k) => set.has(k), list: [...set], complete: entries !== undefined && list.length === entries.length };
}

/** The parsed values of the entries that parsed, with their index in the file. */
export function parsed<T>(entries: Entries<T>): { value: T; index: number }[] {
  return (entries ?? []).flatMap((e, index) => (e.value === undefined ? [] : [{ value: e.value, index }]));
}

type Path = readonly PropertyKey[];

const startsWith = (path: Path, prefix: Path) => prefix.length <= path.length && prefix.every((p, i) => p === path[i]);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What the schema made of a config so far (its parse payload: the value, and the issues with their paths),
 * asked part by part. Reading a part's value is sound only where intact() says so: elsewhere the value
 * holds what was written, of any type.
 */
export class ParsedSoFar {
  private readonly aborted: Path[];

  constructor(readonly value: unknown, issues: readonly z.core.$ZodRawIssue[]) {
    this.aborted = issues.filter((i) => i.continue !== true).map((i) => i.path ?? []);
  }

  /** No aborting issue in the part at path, nor at any mapping or list that holds it. */
  intact(path: Path): boolean {
    return !this.aborted.some((p) => startsWith(path, p) || startsWith(p, path));
  }

  /** The value at path as parsed or written (undefined where a mapping or list on the way is not one). */
  at(path: Path): unknown {
    let v = this.value;
    for (const p of path) {
      if (Array.isArray(v) && typeof p === 'number') v = v[p];
      else if (isRecord(v) && typeof p === 'string') v = v[p];
      else return undefined;
    }
    return v;
  }

  /** The value at path where intact(path), else undefined: the caller names its type (the schema's output there). */
  parsedAt<T>(path: Path): T | undefined {
    return this.intact(path) ? (this.at(path) as T) : undefined;
  }

  /**
   * The entries of the list at path, each keyed by its field `key` where that is a text. The list
   * itself must be one (no aborting issue at it or above); its entries may each have failed.
   */
  entries<T>(path: Path, key: string): Entries<T> {
    const list = this.at(path);
    if (!Array.isArray(list) || this.aborted.some((p) => startsWith(path, p))) return undefined;
    return list.map((item: unknown, i) => {
      const written = isRecord(item) ? item[key] : undefined;
      return { value: this.parsedAt<T>([...path, i]), key: typeof written === 'string' ? written : undefined };
    });
  }
}
