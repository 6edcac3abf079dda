/**
 * RFC 4180 records from decoded text pushed in chunks of any size.
 *
 * Lines without a quote character are split with String.split (the fast path:
 * real process files rarely quote). A field that starts with a quote is read
 * quoted ("" is one quote; delimiters and line ends inside are data); a quote
 * elsewhere in an unquoted field is a plain character. Text between a closing
 * quote and the next delimiter makes the record bad. Empty lines are skipped;
 * CRLF, LF and a lone CR (old Mac files) end a line; inside quotes they are data, kept as
 * written. A last line with no line end is still a record, marked so (it may be cut short). Line numbers are 1-based, as an editor shows them.
 * The delimiter is sniffed from the first line, or taken from an Excel "sep=;" line; a first line
 * holding more than one candidate (`Zeitstempel;Druck, bar`) waits for the next line to decide.
 */

export interface RecordSink {
  /**
   * A record that began on `line` and ended on `endLine` (> line when a quoted field held line ends).
   * `noLineEnd`: it is the file's last line and no line end follows it, so it may be cut short.
   * `quoted`: the indexes of the fields written in quotes (kept exact; unquoted text is trimmed), undefined for none.
   */
  record(fields: string[], line: number, endLine: number, noLineEnd: boolean, quoted?: readonly number[]): void;
  /** A record that is not RFC 4180: `field` is the 0-based index of the bad field. */
  badRecord(line: number, endLine: number, field: number, message: string, got: string): void;
}

/** Delimiters auto-detected from the header line; on a tie the rarer in names wins (tab first, comma last). */
export const DELIMITERS = ['\t', ';', '|', ','] as const;

/** A delimiter as the --delimiter option names it. */
export function delimiterName(d: string): string {
  return d === ',' ? 'comma' : d === ';' ? 'semicolon' : d === '\t' ? 'tab' : d === '|' ? 'pipe' : JSON.stringify(d);
}

/** How often each candidate delimiter occurs outside quotes in a line. */
function delimiterCounts(line: string): Map<string, number> {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (DELIMITERS as readonly string[]).includes(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  return counts;
}

/**
 * The candidate delimiter seen most often outside quotes in a header line (comma when none). With
 * the first data row: among the candidates that split it into as many fields as the header (more
 * than one), the one seen most often; a name holding another candidate ("Druck, bar" in a semicolon
 * file) does not split the row alike. None such: by the header alone.
 */
export function sniffDelimiter(headerLine: string, firstRow?: string): string {
  const counts = delimiterCounts(headerLine);
  if (firstRow !== undefined) {
    const row = delimiterCounts(firstRow);
    let alike: string | undefined;
    let alikeCount = 0;
    for (const d of DELIMITERS) {
      const n = counts.get(d) ?? 0;
      if (n > alikeCount && row.get(d) === n) [alike, alikeCount] = [d, n];
    }
    if (alike !== undefined) return alike;
  }
  let best = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const n = counts.get(d) ?? 0;
    if (n > bestCount) [best, bestCount] = [d, n];
  }
  return best;
}

interface Quoted {
  fields: string[];
  cur: string;
  inQuotes: boolean;
  /** Just after a closing quote: only a delimiter (or the line end) may follow. */
  closed: boolean;
  line: number;
  /** The record's lines as written, for the rejection. */
  raw: string;
  /** The line end that left the quote open: data of the field. */
  eol: string;
  error?: { field: number; message: string };
  /** Indexes of the fields that opened with a quote. */
  quoted?: number[];
}

export class CsvTokenizer {
  private rest = '';
  private started = false;
  private sawFirstLine = false;
  private line = 1; // line number of the first character of `rest`
  private open: Quoted | undefined; // a record whose quoted field spans lines
  /** A header line with more than one candidate delimiter, waiting for the first data row to decide (sniffDelimiter). */
  private header: { text: string; eol: string; line: number } | undefined;

  /** Lines read whole (their records given to the sink, but one whose quoted field goes on). */
  get linesRead(): number {
    return this.open ? this.open.line - 1 : this.line - 1;
  }

  /** delimiter undefined: sniffed from the first non-empty line. */
  constructor(private readonly sink: RecordSink, public delimiter?: string) {}

  push(text: string): void {
    if (!this.started && text.length) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a byte-order mark (also when it came split)
    }
    const s = this.rest.length ? this.rest + text : text;
    let pos = 0;
    // A line ends at an LF (with the CR before it: CRLF) or at a lone CR (old Mac files). The
    // next CR and LF are looked up once each and kept while behind them: a file with only one
    // kind of line end costs no scan for the other.
    let nl = s.indexOf('\n');
    let cr = s.indexOf('\r');
    for (;;) {
      if (nl !== -1 && nl < pos) nl = s.indexOf('\n', pos);
      if (cr !== -1 && cr < pos) cr = s.indexOf('\r', pos);
      let end: number, eol: string;
      if (cr !== -1 && (nl === -1 || cr < nl - 1)) {
        if (cr === s.length - 1) break; // an LF may follow in the next chunk
        end = cr;
        eol = '\r';
      } else if (nl !== -1) {
        const crlf = nl > pos && s.charCodeAt(nl - 1) === 13;
        end = crlf ? nl - 1 : nl;
        eol = crlf ? '\r\n' : '\n';
      } else break;
      this.onLine(s.slice(pos, end), eol);
      this.line++;
      pos = end + eol.length;
    }
    this.rest = pos === 0 ? s : s.slice(pos);
  }

  /** The last line (without a line end), then any quote still open. Returns the last line number. */
  end(): number {
    if (this.rest.length) {
      const cr = this.rest.endsWith('\r');
      const last = cr ? this.rest.slice(0, -1) : this.rest;
      this.rest = '';
      this.onLine(last, cr ? '\r' : '');
    } else this.line--;
    if (this.header) this.sniffWith(undefined, ''); // a header and no data row
    const q = this.open;
    if (q) {
      this.open = undefined;
      this.sink.badRecord(q.line, this.line, q.fields.length,
        `a closing quote: the quote opened on line ${q.line} is never closed, so lines ${q.line} to ${this.line} were read as one field and none was imported`,
        `lines ${q.line}-${this.line}`);
    }
    return this.line;
  }

  /** A line without its line end `eol` ('\n', '\r\n', '\r', or '' for the last line): data when it falls inside quotes. */
  private onLine(text: string, eol: string): void {
    if (this.open) return this.quoted(text, this.open, eol);
    if (text.length === 0) return;
    if (this.header) return this.sniffWith(text, eol);
    if (!this.sawFirstLine) {
      this.sawFirstLine = true;
      const excel = /^"?sep=(.)"?$/.exec(text); // Excel's "sep=;" line names the delimiter
      if (excel) {
        this.delimiter ??= excel[1];
        return;
      }
      if (this.delimiter === undefined && text.indexOf('"') === -1 && delimiterCounts(text).size > 1) {
        this.header = { text, eol, line: this.line };
        return;
      }
      this.delimiter ??= sniffDelimiter(text);
    }
    this.split(text, eol);
  }

  /** The line after a header held for its delimiter (undefined: none came): the delimiter decided by both, then both given. */
  private sniffWith(next: string | undefined, eol: string): void {
    const h = this.header!;
    this.header = undefined;
    this.delimiter = sniffDelimiter(h.text, next);
    const line = this.line;
    this.line = h.line;
    this.split(h.text, h.eol);
    this.line = line;
    if (next !== undefined) this.split(next, eol);
  }

  /** A line outside quotes, split with the delimiter. */
  private split(text: string, eol: string): void {
    const d = this.delimiter ?? ',';
    if (text.indexOf('"') === -1) return this.sink.record(text.split(d), this.line, this.line, eol === '');
    this.quoted(text, { fields: [], cur: '', inQuotes: false, closed: false, line: this.line, raw: '', eol: '' }, eol);
  }

  /** The quote-aware state machine, resumable at a line end inside quotes. */
  private quoted(text: string, q: Quoted, eol: string): void {
    const d = this.delimiter ?? ',';
    let i = 0;
    if (q.inQuotes) q.cur += q.eol; // the line end inside the quotes, as written
    if (q.raw.length < 1000) q.raw = q.raw === '' ? text : `${q.raw}\n${text}`; // enough to show
    let fieldStart = !q.inQuotes && !q.closed && q.cur === '';
    while (i < text.length) {
      const ch = text[i];
      if (q.inQuotes) {
        const close = text.indexOf('"', i);
        if (close === -1) {
          q.cur += text.slice(i);
          i = text.length;
          break;
        }
        q.cur += text.slice(i, close);
        if (text[close + 1] === '"') {
          q.cur += '"';
          i = close + 2;
        } else {
          q.inQuotes = false;
          q.closed = true;
          i = close + 1;
        }
        continue;
      }
      if (ch === d) {
        q.fields.push(q.cur);
        q.cur = '';
        q.closed = false;
        fieldStart = true;
        i++;
        continue;
      }
      if (q.closed) {
        q.error ??= { field: q.fields.length, message: 'RFC 4180 quoting (a delimiter or the line end right after a closing quote)' };
        q.cur += ch;
      } else if (ch === '"' && fieldStart) {
        q.inQuotes = true;
        (q.quoted ??= []).push(q.fields.length);
      }
      else q.cur += ch;
      fieldStart = false;
      i++;
    }
    if (q.inQuotes) {
      q.eol = eol;
      this.open = q;
      return;
    }
    this.open = undefined;
    q.fields.push(q.cur);
    if (q.error) this.sink.badRecord(q.line, this.line, q.error.field, q.error.message, q.raw);
    else this.sink.record(q.fields, q.line, this.line, eol === '', q.quoted);
  }
}
