/** The station config's inbox settings (station.inbox): accepted as written, a bad one refused naming file, line and field. */
import { describe, expect, it } from 'vitest';
import { parseStationConfig } from './config-file.js';

const config = (inbox: string) => `station: { name: T, inbox: ${inbox} }
servers: [{ id: s, endpoint: "opc.tcp://127.0.0.1:4840/x", samplingIntervalMs: 250 }]
areas: [{ id: A, name: A }]
tags: []
`;
const refusal = (inbox: string) => {
  try {
    parseStationConfig(config(inbox), 'st.yaml');
  } catch (e) {
    return (e as Error).message;
  }
  return 'accepted';
};

describe('station.inbox', () => {
  it('takes a time zone (IANA name or offset), a date order, an epoch unit and an encoding', () => {
    expect(parseStationConfig(config('{ timeZone: Europe/Berlin, dateOrder: dmy, epoch: s }'), 'st.yaml').station.inbox)
      .toEqual({ timeZone: 'Europe/Berlin', dateOrder: 'dmy', epoch: 's' });
    expect(parseStationConfig(config('{ timeZone: "+01:00" }'), 'st.yaml').station.inbox).toEqual({ timeZone: '+01:00' });
    expect(parseStationConfig(config('{ encoding: windows-1251 }'), 'st.yaml').station.inbox).toEqual({ encoding: 'windows-1251' });
  });

  it.each([
    ['{ timeZone: Mars/Olympus }', /st\.yaml:1:40: station\.inbox\.timeZone: expected a UTC offset .* or an IANA time zone name/],
    ['{ timeZone: "+25:00" }', /st\.yaml:1:40: station\.inbox\.timeZone: expected a UTC offset/],
    ['{ dateOrder: ymd }', /st\.yaml:1:41: station\.inbox\.dateOrder: expected one of "dmy", "mdy"/],
    ['{ epoch: us }', /st\.yaml:1:37: station\.inbox\.epoch: expected one of "auto", "s", "ms", "excel"/],
    ['{ zone: x }', /station\.inbox\.zone: unknown field "zone"/],
    ['{ encoding: cyrillic-ish }', /st\.yaml:1:40: station\.inbox\.encoding: expected an encoding name such as utf-8, windows-1251/],
  ])('refuses %s naming file, line and field', (inbox, message) => {
    expect(refusal(inbox)).toMatch(message);
  });
});
