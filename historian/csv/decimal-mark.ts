/**
 * The decimal mark of a file that may use either (its delimiter is not a comma), for '1.234':
 * where the mark is ',' (a German export) that is 1234 written with a thousands separator, so it
 * is rejected, never archived as 1.234; in a file of decimal points it is 1.234. Decided per file
 * (one export, one locale), from its numbers in reading order: the first decimal comma makes it
 * ','; before one, a decimal point that cannot be a thousands separator (0.5, 12.34) makes it '.'.
 * Ambiguous values read before either are held here until one comes, or the file ends ('.').
 * '1,234' is ambiguous alike (1234 with a thousands separator, as en-US Excel writes it in a tab
 * file, or 1.234): it never decides the mark; rejected once the file has shown decimal points, or
 * at its end when nothing did; read as 1.234 once a decimal comma that is no thousands separator
 * (1,5 or 0,125) has.
 */
import type { Sample } from '../types.js';
import { parseNumber } from './value.js';

/** A single '.' followed by exactly three digits, no comma: 1.234 or 1234. */
const AMBIGUOUS = /^[+-]?[1-9]\d{0,2}\.\d{3}$/;
/** The same with a ',': 1.234 (a decimal comma) or 1234 (a thousands separator, as en-US Excel writes it in a tab file). */
const AMBIGUOUS_COMMA = /^[+-]?[1-9]\d{0,2},\d{3}$/;

/** Ambiguous values ('1.234') held while no number has said the file's decimal mark; beyond, they are read as decimal points. */
const AMBIGUOUS_HELD = 100_000;

/** Where a held value goes once the mark is known (the record reader's rejections and samples). */
export interface HeldValueSink {
  reject(line: number, field: string, expected: string, got: string): void;
  keep(tag: string, sample: Sample, line: number): void;
}

interface HeldValue {
  tag: string;
  field: string;
  raw: string;
  sample: Sample;
  line: number;
}

export class DecimalMark {
  /** The first decimal comma read: where, and what (named in the rejections). */
  private comma: { line: number; cell: string } | undefined;
  /** The decimal point that decided '.': where, and what (named in the rejections of '1,234'). */
  private point: { line: number; cell: string } | undefined;
  /** ',' once a decimal comma was read; '.' before one, once a decimal point that is no thousands separator was. */
  decided: ',' | '.' | undefined;
  /** Values such as '1.234' read before the mark is known. */
  private held: HeldValue[] = [];

  constructor(private readonly sink: HeldValueSink) {}

  /** A value cell of any row (time filter or not, so every pass of a file decides alike); true when it decided the mark. */
  see(cell: string, line: number): boolean {
    if (this.decided === ',') return false;
    if (cell.indexOf(',') >= 0) {
      const text = cell.trim();
      if (parseNumber(text, true) === undefined) return false; // a word, or thousands separators: rejected anyway
      if (AMBIGUOUS_COMMA.test(text)) return false; // 1,234: a thousands separator or a decimal comma, says nothing
      this.comma = { line, cell: text };
      this.decided = ',';
      return true;
    }
    if (this.decided === '.' || cell.indexOf('.') < 0) return false;
    const text = cell.trim();
    if (parseNumber(text, false) === undefined || AMBIGUOUS.test(text)) return false;
    this.point = { line, cell: text };
    this.decided = '.';
    return true;
  }

  /**
   * A number cell (trimmed) whose meaning waits for the mark: '1.234' while the file has not shown
   * decimal points, '1,234' while it has not shown a decimal comma.
   */
  waits(text: string): boolean {
    if (text.indexOf('.') >= 0) return this.decided !== '.' && AMBIGUOUS.test(text);
    return this.decided !== ',' && text.indexOf(',') >= 0 && AMBIGUOUS_COMMA.test(text);
  }

  /** A value that waits (see waits): rejected after the other decimal mark, else held until the mark is known. */
  hold(tag: string, field: string, raw: string, sample: Sample, line: number): void {
    if (raw.indexOf('.') < 0) { // '1,234'
      if (this.decided === '.') return this.sink.reject(line, field, this.expectedPoint(), raw);
    } else if (this.decided === ',') return this.sink.reject(line, field, this.expected(), raw);
    this.held.push({ tag, field, raw, sample, line });
    if (this.held.length >= AMBIGUOUS_HELD) this.settle();
  }

  /**
   * The held values once the mark is known (or the file ended): after a decimal comma, '1.234' is
   * rejected and '1,234' kept (1.234); else '1.234' is kept (decimal points) and '1,234' rejected.
   */
  settle(): void {
    const held = this.held;
    if (held.length === 0) return;
    this.held = [];
    const comma = this.decided === ',';
    for (const a of held) {
      const dotted = a.raw.indexOf('.') >= 0;
      if (comma !== dotted) this.sink.keep(a.tag, a.sample, a.line);
      else this.sink.reject(a.line, a.field, dotted ? this.expected() : this.expectedPoint(), a.raw);
    }
  }

  /** What a rejected '1.234' should have been. */
  private expected(): string {
    const c = this.comma!;
    return `a number with the decimal comma this file uses (line ${c.line}: ${JSON.stringify(c.cell.length > 40 ? `${c.cell.slice(0, 40)}...` : c.cell)}), no thousands separator ` +
      "(ambiguous: '.' is a thousands separator where the decimal mark is ',')";
  }

  /** What a rejected '1,234' should have been: the file's decimal points, or (none read) a number that says its mark. */
  private expectedPoint(): string {
    const p = this.point;
    if (p === undefined) {
      return "a number without a thousands separator (ambiguous: ',' is a thousands separator where the decimal mark is '.', " +
        'and no number of this file shows its decimal mark)';
    }
    return `a number with the decimal point this file uses (line ${p.line}: ${JSON.stringify(p.cell.length > 40 ? `${p.cell.slice(0, 40)}...` : p.cell)}), no thousands separator ` +
      "(ambiguous: ',' is a thousands separator where the decimal mark is '.')";
  }
}
