/**
 * An edited YAML file written back as the engineer wrote it, but for the edit.
 * The yaml library prints the whole document in one style (flow maps padded
 * or not, and sequences the same way), so a console edit would reformat
 * every `{ id: A }` in the file and a diff of the config would not show the
 * edit. The document is printed before and after the edit; the lines the
 * two prints share at the start and at the end are taken from the file as it
 * was, the changed middle from the new print.
 */
export function keepUnchangedLines(source: string, before: string, after: string): string {
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const src = source.split(/\r?\n/);
  if (!source.endsWith('\n')) src.push(''); // the print ends with a line end: a file without one still maps line for line
  const old = before.split('\n');
  const now = after.split('\n');
  // The print does not map line for line onto the file (a folded or joined line): the new print as it is.
  if (src.length !== old.length) return after.split('\n').join(eol);
  let head = 0;
  while (head < old.length && head < now.length && old[head] === now[head]) head++;
  if (head === old.length && head === now.length) return source;
  let tail = 0;
  const most = Math.min(old.length, now.length) - head;
  while (tail < most && old[old.length - 1 - tail] === now[now.length - 1 - tail]) tail++;
  return [...src.slice(0, head), ...now.slice(head, now.length - tail), ...src.slice(src.length - tail)].join(eol);
}
