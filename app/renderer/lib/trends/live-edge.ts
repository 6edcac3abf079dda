/**
 * Up to when each pen's last value may be drawn as holding: now, while the
 * console's link, the tag's server and its latest value are all good; when
 * the server was lost (after being live), the moment it was; when the link
 * went down, the moment it did, judged by what was known then. Otherwise not
 * past the last value (a band then says nothing is known after it): a server
 * still 'connecting' never connected in this run, so its `since` (the
 * station's start) says nothing about the value.
 */
import type { LiveValue, ServerState, TagInfo } from '../../../shared/api.js';
import type { LinkState } from '../api-client.js';

/** What the edge needs of the station (the Station fits). */
export interface EdgeSource {
  link: LinkState;
  linkSince: number;
  servers: ReadonlyMap<string, Pick<ServerState, 'state' | 'since'>>;
  values: ReadonlyMap<string, Pick<LiveValue, 'status'>>;
}

export function liveEdge(station: EdgeSource, now: number): (tag: Pick<TagInfo, 'name' | 'server'>) => number {
  // With the link down, the states kept are those of when it went down.
  const until = station.link === 'connected' ? now : station.linkSince;
  return (tag) => {
    const server = station.servers.get(tag.server);
    if (!server) return -Infinity;
    if (server.state === 'lost') return Math.min(server.since, until);
    if (server.state !== 'connected') return -Infinity;
    const lv = station.values.get(tag.name);
    if (!lv || lv.status >>> 30 >= 2) return -Infinity;
    return until;
  };
}
