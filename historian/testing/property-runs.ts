// How many cases a property test runs. Tests ask for the number they need (`propertyRuns(500)`);
// mutation testing (scripts/mutate.mjs) scales every property down by VIGIL_PROPERTY_RUNS_SCALE,
// because Stryker runs the covering tests once per mutant on 2 shared cores. A mutant only a
// rare case would kill then counts as survived: the score is a lower bound, never inflated.
const scale = Number(process.env.VIGIL_PROPERTY_RUNS_SCALE ?? '1');
if (!(scale > 0 && scale <= 1)) throw new Error(`VIGIL_PROPERTY_RUNS_SCALE: expected a number in (0, 1], got ${process.env.VIGIL_PROPERTY_RUNS_SCALE}`);

/** `runs` property cases, scaled down (never below 10) under mutation testing. */
export function propertyRuns(runs: number): number {
  return scale === 1 ? runs : Math.max(10, Math.round(runs * scale));
}
