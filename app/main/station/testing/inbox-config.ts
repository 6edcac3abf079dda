/** The station config of inbox tests: one tag of its own (the inbox creates those its files name). */
export const INBOX_TEST_CONFIG = `station: { name: T }
servers: [{ id: s, endpoint: "opc.tcp://127.0.0.1:4840/x", samplingIntervalMs: 250 }]
areas: [{ id: A, name: A }]
tags:
  - { name: A.N, server: s, nodeId: "ns=1;s=N", unit: m, range: [0, 100], kind: analog, area: A, compression: { kind: none } }
`;
