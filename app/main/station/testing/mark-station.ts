/**
 * A station's archive in a process of its own writing samples without pause, for a test that kills
 * it with SIGKILL (committed-mark-log.test.ts): on the data directory argv[2], a few of its many
 * tags per batch (so commits append lines to the mark's log); prints `open` once writing.
 */
import { StationArchive } from '../archive.js';
import { parseStationConfig } from '../config-file.js';
import { silentLogger } from '../../log.js';
import { MARK_TAGS, MARK_TEST_CONFIG } from './mark-config.js';

const dir = process.argv[2]!;
const archive = await StationArchive.open(parseStationConfig(MARK_TEST_CONFIG, 'mark-test.yaml'), dir, silentLogger(), { flushIntervalMs: 200 });
const t0 = Date.now() - 3_600_000;
archive.write(MARK_TAGS.map((tag) => ({ tag, t: t0, value: 0, status: 0 })));
let i = 0;
setInterval(() => {
  i++;
  archive.write([0, 1, 2].map((k) => ({ tag: MARK_TAGS[(3 * i + k) % MARK_TAGS.length]!, t: t0 + 10 * i, value: i % 100, status: 0 })));
}, 10);
process.stdout.write('open\n');
