/**
 * A count and its noun in English ("1 line", "2 lines"): the import's reports are read by
 * engineers, who should not have to read "1 lines rejected" past a problem.
 */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
