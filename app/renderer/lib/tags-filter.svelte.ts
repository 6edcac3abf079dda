/** The Tags page's filter outlives the page: an engineer comes back to the list they were reading. */
export const tagsFilter = $state({ text: '' });

/** Tags whose name, description, place, kind, unit, server, node id or role contain every word. */
export function matches(hay: string[], words: readonly string[]): boolean {
  const text = hay.join(' ').toLowerCase();
  return words.every((w) => text.includes(w));
}
