/**
 * A tag as the banner shortens it where its column is narrow (BannerRow.svelte): the area, its
 * first part ("Area2" of "Area2.GD201.Concentration"), gives way to its initials and number
 * ("A2"), so the equipment and the measurement stay whole and detectors of two areas still read
 * apart. Cut to its first letters instead, every area read "A…" alike.
 */

/** The area (before the first dot) and the rest; no area for a tag without a dot at both sides of one. */
export function splitTag(tag: string): { area: string; rest: string } {
  const dot = tag.indexOf('.');
  return dot > 0 && dot < tag.length - 1 ? { area: tag.slice(0, dot), rest: tag.slice(dot + 1) } : { area: '', rest: tag };
}

/**
 * An area's short name: the first letter of each word (words split at spaces, "-", "_" and a
 * lower-to-upper case change) and its numbers whole: "Area2" -> "A2", "North Yard 12" -> "NY12",
 * "TankFarm3" -> "TF3". A name of three characters or fewer is short already and stays.
 */
export function areaShort(area: string): string {
  if ([...area].length <= 3) return area;
  const parts = area.match(/\p{N}+|\p{Lu}?\p{Ll}+|\p{Lu}+(?!\p{Ll})|\p{L}+/gu) ?? [];
  const short = parts.map((p) => (/^\p{N}/u.test(p) ? p : [...p][0]!.toLocaleUpperCase())).join('');
  return short === '' ? area : short;
}
