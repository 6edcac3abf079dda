/**
 * The station config as the running station sees it, and the one way to
 * change it: an edit of the YAML document (comments and layout kept),
 * validated as a whole before the file is replaced atomically, then told to
 * every module that follows the config. An invalid edit changes nothing.
 */
import { closeSync, existsSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { parseDocument, type Document } from 'yaml';
import type { StationConfig } from '../../shared/config.js';
import { parseStationConfig, readStationConfigText, type ConfigCheck } from './config-file.js';
import { keepUnchangedLines } from './keep-lines.js';

export type ConfigListener = (next: StationConfig, previous: StationConfig) => void;

export interface ConfigStoreOptions {
  /** The file the config was read from. */
  source: string;
  /** Where edits are written (default: source). The bundled default is never edited in place. */
  writeTo?: string;
  /** Applied to every parsed config before use (e.g. the simulator's real endpoint); never written. */
  overlay?: (config: StationConfig) => StationConfig;
  /** Reports a listener that threw; the others still run. */
  onListenerError?: (err: unknown) => void;
}

export class ConfigStore {
  private config: StationConfig;
  private readonly listeners = new Set<ConfigListener>();
  private readonly checks = new Set<ConfigCheck>();
  readonly writeTo: string;

  constructor(config: StationConfig, private readonly opts: ConfigStoreOptions) {
    this.writeTo = opts.writeTo ?? opts.source;
    this.config = (opts.overlay ?? ((c) => c))(config);
  }

  get current(): StationConfig {
    return this.config;
  }

  /** A check an edit must pass besides the schema (e.g. the archive's: a tag's kind is fixed): a refused edit writes nothing. */
  addCheck(check: ConfigCheck): void {
    this.checks.add(check);
  }

  subscribe(listener: ConfigListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Applies mutate to the file's YAML document, validates the whole result
   * (throws ConfigError naming file, line and field; nothing is written),
   * writes it atomically and notifies the listeners. Returns the new config.
   */
  edit(mutate: (doc: Document) => void): StationConfig {
    const from = existsSync(this.writeTo) ? this.writeTo : this.opts.source;
    // Strict: a byte that is not UTF-8 (the file swapped while running) would be written back as U+FFFD for good.
    const source = readStationConfigText(from);
    const doc = parseDocument(source, { keepSourceTokens: true });
    const print = { lineWidth: 0 };
    const before = doc.toString(print);
    mutate(doc);
    const text = keepUnchangedLines(source, before, doc.toString(print));
    const parsed = parseStationConfig(text, this.writeTo, (c) => [...this.checks].flatMap((check) => check(c)));
    writeAtomically(this.writeTo, text);
    const previous = this.config;
    this.config = (this.opts.overlay ?? ((c) => c))(parsed);
    for (const l of this.listeners) {
      try {
        l(this.config, previous);
      } catch (err) {
        (this.opts.onListenerError ?? ((e) => { throw e; }))(err);
      }
    }
    return this.config;
  }
}

/** Write beside, fsync, rename: a crash leaves the old file or the new one, never half of one. */
function writeAtomically(file: string, text: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
