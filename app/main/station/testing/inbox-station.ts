/**
 * A station's archive (its thread and CSV inbox) in a process of its own, for tests that kill it
 * with SIGKILL (inbox-restart.test.ts): opened on the data directory argv[2] with a config of no
 * plant to speak of; prints `open` once the archive is, and each log line on stdout.
 */
import { StationArchive } from '../archive.js';
import { parseStationConfig } from '../config-file.js';
import { createLogger } from '../../log.js';
import { INBOX_TEST_CONFIG } from './inbox-config.js';

const dir = process.argv[2]!;
const logger = createLogger({ level: 'info', destination: { write: (line: string) => void process.stdout.write(line) } });
await StationArchive.open(parseStationConfig(INBOX_TEST_CONFIG, 'inbox-test.yaml'), dir, logger, { flushIntervalMs: 200 });
process.stdout.write('open\n');
setInterval(() => undefined, 60_000);
