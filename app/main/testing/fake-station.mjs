// A stand-in for station-entry.ts under the supervisor's unit test: it starts in a few ms. Each start
// appends {pid, argv, note} to the file named by argv[2]; argv[3] says what it does: 'serve' (tells
// the supervisor its URL, ends on SIGTERM or a closed channel, noting which), 'refuse' (exit 2 at once),
// 'fault' (serves, then, unless it is a restart, sends a fatal cause and exits 70, as fatal.ts does),
// 'hang' (serves and beats, then, unless it is a restart, stops its event loop after three beats),
// 'deaf' (serves and beats, ignores SIGTERM). Once serving it sends the heartbeat at the period the
// supervisor set (VIGIL_HEARTBEAT_MS), noting each {pid, beat}.
import { appendFileSync } from 'node:fs';

const [log, mode] = process.argv.slice(2);
const note = (what) => appendFileSync(log, `${JSON.stringify(what)}\n`);
note({ pid: process.pid, argv: process.argv.slice(2), restart: process.env.VIGIL_RESTART ?? null });
if (mode === 'refuse') process.exit(2);
const i = process.argv.lastIndexOf('--port');
const port = i > 0 ? process.argv[i + 1] : String(20000 + (process.pid % 20000));
// Its stops handled before it says it serves, as station-entry.ts does.
process.on('SIGTERM', () => {
  if (mode === 'deaf') return note({ pid: process.pid, ignored: 'SIGTERM' });
  note({ pid: process.pid, stopped: 'SIGTERM' });
  process.exit(0);
});
process.on('disconnect', () => { note({ pid: process.pid, stopped: 'disconnect' }); process.exit(0); });
process.send({ type: 'serving', url: `http://127.0.0.1:${port}/` });
if (mode === 'fault' && !process.env.VIGIL_RESTART) process.send({ type: 'fatal', detail: 'uncaught exception: Error: boom' }, () => process.exit(70));
let beats = 0;
setInterval(() => {
  if (!process.connected) return;
  process.send({ type: 'alive' });
  note({ pid: process.pid, beat: ++beats });
  // An endless loop: no handler, no timer, no message runs again in this process.
  if (mode === 'hang' && !process.env.VIGIL_RESTART && beats === 3) for (;;);
}, Number(process.env.VIGIL_HEARTBEAT_MS));
