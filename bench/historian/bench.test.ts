/** The benchmark end to end on the quick dataset: the JSON shape, not the times. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');

const positive = expect.any(Number);
const ingest = { samples: positive, seconds: positive, samplesPerSecond: positive, bytes: positive, bytesPerSample: positive };
const query = { coldMs: positive, warmMs: positive };

describe('bench historian --quick --json', () => {
  it('runs every phase and prints one JSON object on the last line after the table', { timeout: 300_000 }, () => {
    const r = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'bench', 'cli.ts'), 'historian', '--quick', '--json'], {
      cwd: root, encoding: 'utf8', timeout: 280_000,
    });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^historian benchmark \(quick\)/);
    expect(r.stdout).toMatch(/bytes\/sample lossless/);
    const result = JSON.parse(lines[lines.length - 1]);
    expect(result).toMatchObject({
      bench: 'historian',
      quick: true,
      dataset: { tags: 40, samples: positive, series: { samples: 2 * 86_400 } },
      ingest: {
        historian: { none: { ...ingest, archived: positive, payloadBytesPerSampleBySignal: { smooth: positive, noisy: positive, stepped: positive, irregular: positive } }, deadband: ingest, swingingDoor: ingest, series: ingest },
        naive: ingest,
        naiveSeries: ingest,
      },
      decode: { codecSamplesPerSecond: positive, selectAndDecodeSamplesPerSecond: positive, rawReadSamplesPerSecond: positive, rawReadColdSamplesPerSecond: positive, rawRowsSamplesPerSecond: positive, naiveColdSamplesPerSecond: positive,
        rawSeriesSamplesPerSecond: positive, rawSeriesColdSamplesPerSecond: positive, rawSeriesRowsSamplesPerSecond: positive, naiveSamplesPerSecond: positive },
      plot: { buckets: 2000, historian: { ...query, workerMs: positive, firstInProcessMs: positive, coldCpuMs: positive, youngColdMs: positive }, columns: { ...query, workerMs: positive, firstInProcessMs: positive, coldCpuMs: positive, youngColdMs: positive }, naive: query },
      processed: { historian: { ...query, firstInProcessMs: positive, coldCpuMs: positive, youngColdMs: positive }, naive: query, series10s: { historian: query } },
      durationSeconds: positive,
    });
    const target = { value: positive, target: positive, met: expect.any(Boolean) };
    expect(Object.keys(result.targets).sort()).toEqual(['coldPlotColumnsMs', 'coldPlotMs', 'coldProcessedVsNaiveCold', 'compressedPercentOf16B', 'decodeSamplesPerSecond',
      'ingestRatioToNaive', 'ingestSamplesPerSecond', 'losslessBytesPerSample', 'losslessIngestSamplesPerSecond', 'plotColumnsMs', 'plotMs', 'processedVsInflux',
      'readRawSamplesPerSecond', 'readRawSeriesSamplesPerSecond', 'realCompressedToLossless', 'realLosslessToBaseline']);
    // issue 12's real-shaped sets, each against the zlib baseline of the same run
    expect(result.real.map((s: { name: string }) => s.name)).toEqual(['pump-1s', 'process-3min', 'process-3min-long']);
    for (const s of result.real) {
      expect(s).toMatchObject({
        samples: positive, baselineBytesPerSample: positive, informationBytesPerSample: positive, ratioToBaseline: positive,
        baselineByReading: { valuesAsIs: positive, valuesAsDeltas: positive },
        bytesPerSample: { none: positive, deadband: positive, swingingDoor: positive },
        compressedToLossless: { deadband: positive, swingingDoor: positive },
        compressedToLosslessByKind: { deadband: expect.any(Object), swingingDoor: expect.any(Object) },
      });
      // the smaller reading per tag: never above either reading's total
      expect(s.baselineBytesPerSample).toBeLessThanOrEqual(Math.min(s.baselineByReading.valuesAsIs, s.baselineByReading.valuesAsDeltas));
      expect(s.archivedShare.none).toBeGreaterThanOrEqual(1); // lossless keeps every sample
      expect(s.informationBytesPerSample).toBeLessThan(s.bytesPerSample.none); // a lower bound of what lossless stores
      expect(s.archivedShare.swingingDoor).toBeLessThan(1);
    }
    const influxRan = 'version' in result.influx;
    for (const [k, t] of Object.entries(result.targets)) {
      // Against InfluxDB only when it ran: otherwise no figure, and the target is not met.
      expect(t).toEqual(k === 'processedVsInflux' && !influxRan ? { value: null, target: 1, met: false } : target);
    }
    // every sample the naive store received is decoded back, and the historian archived no more than it received
    expect(result.decode.codecSamples).toBe(result.decode.naiveSamples);
    expect(result.ingest.historian.swingingDoor.archived).toBeLessThan(result.ingest.historian.none.archived);
    if ('version' in result.influx) {
      expect(result.influx).toMatchObject({ plant: { ...ingest, tsmWalBytesPerSample: positive }, series: { plot: query, average: query } });
    } else {
      expect(result.influx.skipped).toMatch(/influxd not installed/); // a failed run must fail this test
    }
  });
});
