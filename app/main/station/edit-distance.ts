/**
 * Optimal string alignment distance (restricted Damerau–Levenshtein): insertions, deletions,
 * substitutions and transpositions of two adjacent characters each cost 1, and no substring is
 * edited twice. A typed key with two letters swapped ("nmae" for "name") is then one edit away,
 * where Levenshtein counts two. Counts code points, so a letter outside the BMP is one character.
 */
export function osaDistance(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  // Three rows of the table: two back (for a transposition), the previous and the current.
  let before = new Array<number>(t.length + 1).fill(0);
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      current[j] = d;
    }
    before = previous;
    previous = current;
  }
  return previous[t.length]!;
}
