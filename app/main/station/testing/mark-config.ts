/** A station config of many tags (no plant to speak of), for the commit mark's tests. */
export const MARK_TAGS = Array.from({ length: 200 }, (_, i) => `Area.Tank${i}.Level`);

export const MARK_TEST_CONFIG = `station: { name: T }
servers: [{ id: s, endpoint: "opc.tcp://127.0.0.1:4840/x", samplingIntervalMs: 250 }]
areas: [{ id: A, name: A }]
tags:
${MARK_TAGS.map((t) => `  - { name: ${t}, server: s, nodeId: "ns=1;s=${t}", unit: m, kind: analog, area: A, compression: { kind: none } }`).join('\n')}
`;
