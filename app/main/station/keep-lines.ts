/**
 * An edited YAML file written back as the engineer wrote it, but for the edit.
 * The yaml library prints the whole document in one style (flow maps padded
 * or not, and sequences the same way), so a console edit would reformat
 * every `{ id: A }` in the file and a diff of the config would not show the
 * edit. The document is printed before and after the edit; the lines the
 * two prints share at the start and at the end are taken from the file as it
 * was, the changed middle from the new print.
 *
 * The print need not map line for line onto the file: it moves a comment after
 * `priorities: # ...` onto a line of its own, so the file's lines are matched to
 * the print's by their content (spacing aside), and the edit placed between the
 * matched lines around it. The result must read as the new print does, or the
 * new print is written as it is.
 */
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'yaml';

export function keepUnchangedLines(source: string, before: string, after: string): string {
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const src = source.split(/\r?\n/);
  if (!source.endsWith('\n')) src.push(''); // the print ends with a line end: a file without one still maps line for line
  const old = before.split('\n');
  const now = after.split('\n');
  let head = 0;
  while (head < old.length && head < now.length && old[head] === now[head]) head++;
  if (head === old.length && head === now.length) return source;
  let tail = 0;
  const most = Math.min(old.length, now.length) - head;
  while (tail < most && old[old.length - 1 - tail] === now[now.length - 1 - tail]) tail++;
  const whole = after.split('\n').join(eol);
  if (src.length === old.length) return [...src.slice(0, head), ...now.slice(head, now.length - tail), ...src.slice(src.length - tail)].join(eol);

  const srcOf = alignLines(old, src);
  let pa = head - 1; // the last print line before the edit that has its line in the file
  while (pa >= 0 && srcOf[pa] < 0) pa--;
  let pb = old.length - tail; // the first one after it
  while (pb < old.length && srcOf[pb] < 0) pb++;
  const sa = pa < 0 ? -1 : srcOf[pa]!;
  const sb = pb < old.length ? srcOf[pb]! : src.length;
  const shift = now.length - old.length;
  const kept = [...src.slice(0, sa + 1), ...now.slice(pa + 1, pb + shift), ...src.slice(sb)].join(eol);
  return readsAs(kept, after) ? kept : whole;
}

/** A line as the print and the file both have it, whatever the spacing: `[ 0, 20 ]  # c` and `[0, 20] # c` alike. */
const normal = (line: string): string => line.replace(/\s+/g, '');

/** For each line of `print`, the line of `file` it matches (longest common subsequence of their content), or -1. */
function alignLines(print: readonly string[], file: readonly string[]): Int32Array {
  const a = print.map(normal), b = file.map(normal);
  const n = a.length, m = b.length;
  // Suffix lengths of the LCS, row by row: n·m cells (a config of a few thousand lines, edited by hand now and then).
  const len = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      len[i * (m + 1) + j] = a[i] === b[j] ? len[(i + 1) * (m + 1) + j + 1]! + 1
        : Math.max(len[(i + 1) * (m + 1) + j]!, len[i * (m + 1) + j + 1]!);
    }
  }
  const out = new Int32Array(n).fill(-1);
  for (let i = 0, j = 0; i < n && j < m;) {
    if (a[i] === b[j]) out[i++] = j++;
    else if (len[(i + 1) * (m + 1) + j]! >= len[i * (m + 1) + j + 1]!) i++;
    else j++;
  }
  return out;
}

/** The text reads as the YAML `print` does (the same values): else the print is what is written. */
function readsAs(text: string, print: string): boolean {
  try {
    return isDeepStrictEqual(parse(text), parse(print));
  } catch {
    return false;
  }
}
