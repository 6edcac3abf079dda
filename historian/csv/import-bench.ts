/**
 * CSV import throughput on a synthetic SKAB-shaped wide file (semicolon, "datetime",
 * space-separated ISO time): `npx tsx historian/csv/import-bench.ts [rows] [columns]`.
 * Prints read-only and full-import rates (rows/s, samples/s) and the archive's size.
 */
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Historian } from '../index.js';
import { historianTarget, importCsvFile } from './import.js';
import { readCsv } from './read.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const columns = Number(process.argv[3] ?? 10);
const dir = mkdtempSync(join(tmpdir(), 'vigil-csv-bench-'));
const file = join(dir, 'wide.csv');

async function writeFile(): Promise<void> {
  const out = createWriteStream(file);
  out.write(['datetime', ...Array.from({ length: columns }, (_, j) => `Sensor${j + 1}`)].join(';') + '\n');
  const t0 = Date.UTC(2020, 2, 9, 10, 14, 33);
  let text = '';
  for (let i = 0; i < rows; i++) {
    text += new Date(t0 + i * 1000).toISOString().slice(0, 19).replace('T', ' ');
    for (let j = 0; j < columns; j++) text += ';' + (Math.sin(i / 100 + j) * 10 + 50).toFixed(4);
    text += '\n';
    if (text.length > 1 << 20) {
      if (!out.write(text)) await once(out, 'drain');
      text = '';
    }
  }
  out.end(text);
  await once(out, 'finish');
}

const rate = (n: number, s: number): string => `${Math.round(n / s).toLocaleString('en-US')}`;

try {
  await writeFile();
  let t = performance.now();
  let samples = 0;
  for await (const b of readCsv(createReadStream(file), { file, kindOf: () => undefined })) for (const r of b.tags.values()) samples += r.samples.length;
  let s = (performance.now() - t) / 1000;
  process.stderr.write(`read only: ${rows} rows x ${columns} columns in ${s.toFixed(2)} s: ${rate(rows, s)} rows/s, ${rate(samples, s)} samples/s\n`);
  mkdirSync(join(dir, 'archive'));
  const h = Historian.open(join(dir, 'archive'), { flushIntervalMs: 0, sortWindowMs: 0 });
  t = performance.now();
  const report = await importCsvFile(historianTarget(h), file);
  await h.close();
  s = (performance.now() - t) / 1000;
  process.stderr.write(`import: ${report.imported} samples in ${s.toFixed(2)} s: ${rate(rows, s)} rows/s, ${rate(report.imported, s)} samples/s; ` +
    `peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
