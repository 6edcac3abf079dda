// A stand-in for station-entry.ts under the supervisor's unit test: it starts in a few ms. Each start
// appends {pid, argv, note} to the file named by argv[2]; argv[3] says what it does: 'serve' (tells
// the supervisor its URL, ends on SIGTERM or a closed channel, noting which), 'refuse' (exit 2 at once),
// 'fault' (serves, then, unless it is a restart, sends a fatal cause and exits 70, as fatal.ts does).
import { appendFileSync } from 'node:fs';

const [log, mode] = process.argv.slice(2);
const note = (what) => appendFileSync(log, `${JSON.stringify(what)}\n`);
note({ pid: process.pid, argv: process.argv.slice(2), restart: process.env.VIGIL_RESTART ?? null });
if (mode === 'refuse') process.exit(2);
const i = process.argv.lastIndexOf('--port');
const port = i > 0 ? process.argv[i + 1] : String(20000 + (process.pid % 20000));
// Its stops handled before it says it serves, as station-entry.ts does.
process.on('SIGTERM', () => { note({ pid: process.pid, stopped: 'SIGTERM' }); process.exit(0); });
process.on('disconnect', () => { note({ pid: process.pid, stopped: 'disconnect' }); process.exit(0); });
process.send({ type: 'serving', url: `http://127.0.0.1:${port}/` });
if (mode === 'fault' && !process.env.VIGIL_RESTART) process.send({ type: 'fatal', detail: 'uncaught exception: Error: boom' }, () => process.exit(70));
setInterval(() => {}, 60_000);
