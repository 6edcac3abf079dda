/**
 * Up to when each pen's last value may be drawn as holding: now, while the
 * console's link, the tag's server and its latest value are all good; when
 * the link went down, the moment it did; otherwise not past the last value
 * (a band then says nothing is known after it).
 */
import type { TagInfo } from '../../../shared/api.js';
import type { Station } from '../station.svelte.js';

export function liveEdge(station: Pick<Station, 'link' | 'linkSince' | 'servers' | 'values'>, now: number): (tag: TagInfo) => number {
  return (tag) => {
    if (station.link !== 'connected') return station.linkSince;
    const server = station.servers.get(tag.server);
    if (!server || server.state !== 'connected') return server ? server.since : -Infinity;
    const lv = station.values.get(tag.name);
    if (!lv || lv.status >>> 30 >= 2) return -Infinity;
    return now;
  };
}
