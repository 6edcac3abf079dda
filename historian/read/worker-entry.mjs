// Plain-JS entry of the reader worker: it runs under node, tsx, vitest and in
// production alike. Given a TypeScript module (development and tests), it
// registers tsx in this thread first; given built JavaScript, it just imports it.
import { workerData } from 'node:worker_threads';

const target = workerData.module;
if (target.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(target);
