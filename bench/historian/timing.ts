export function timed(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

/**
 * Wall and CPU milliseconds of one call. CPU time (user + system of the whole process, so V8's
 * parallel GC threads too: it may exceed the wall time) leaves out what other processes took: on
 * a shared 2-core machine the wall time of a 40 ms read varied by 15 ms with whatever else ran,
 * its CPU time by 2-3.
 */
export function timedBoth(fn: () => unknown): { wall: number; cpu: number } {
  const c = process.cpuUsage();
  const t = performance.now();
  fn();
  const wall = performance.now() - t;
  const d = process.cpuUsage(c);
  return { wall, cpu: (d.user + d.system) / 1000 };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
