// vitest setup file: property tests that do not name their number of cases run fast-check's
// default (100), scaled like the others (see property-runs.ts).
import fc from 'fast-check';
import { propertyRuns } from './property-runs.js';

fc.configureGlobal({ numRuns: propertyRuns(100) });
