/**
 * The permission matrix against specs/alarms.md where the spec names a role:
 * "H | Out of service | ... | manual return to service only (engineer)", and
 * case 18, "an operator cannot return it".
 */
import { describe, expect, it } from 'vitest';
import { requests } from './api.js';
import { can, roles } from './permissions.js';

describe('alarm permissions the spec names', () => {
  it('H: "manual return to service only (engineer)": only an engineer may return an alarm to service', () => {
    expect(requests['alarms.returnToService'].permission).toBe('alarms.returnToService');
    expect(roles.filter((r) => can([r], 'alarms.returnToService'))).toEqual(['engineer']);
  });

  it('taking an alarm out of service stays with supervisors and engineers, never an operator', () => {
    expect(requests['alarms.outOfService'].permission).toBe('alarms.outOfService');
    expect(roles.filter((r) => can([r], 'alarms.outOfService'))).toEqual(['supervisor', 'engineer']);
  });
});
