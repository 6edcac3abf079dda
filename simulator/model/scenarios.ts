// Abnormal situations the simulator can stage, and how they are named and targeted.

export const SCENARIOS = {
  overfill: 'inlet valve stuck open: level rises past the high-level switch (target: a tank, e.g. Area1.TK101)',
  gasLeak: 'gas concentration rising in an area (target: an area, e.g. Area1, or a detector, e.g. Area1.GD102)',
  pumpTrip: 'transfer pump stops unexpectedly and stays off (target: a tank, e.g. Area2.TK201)',
  sensorFailure: 'a variable goes to BadSensorFailure and stays (target: a tag, e.g. Area1.TK101.Level)',
  frozen: 'a variable stops changing while its status stays Good (target: a tag, e.g. Area1.TK101.Temperature)',
} as const;

export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

export interface ScenarioRequest { name: ScenarioName; target: string }

/** Accepts the canonical name and loose spellings: "gasLeak", "gas-leak", "GAS_LEAK". */
export function scenarioName(text: string): ScenarioName {
  const key = text.replace(/[-_\s]/g, '').toLowerCase();
  const found = SCENARIO_NAMES.find((n) => n.toLowerCase() === key);
  if (!found) {
    throw new Error(`unknown scenario "${text}": expected one of ${SCENARIO_NAMES.join(', ')}`);
  }
  return found;
}

/** Parses "name:target", as given to --scenario. */
export function parseScenario(text: string): ScenarioRequest {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) {
    throw new Error(`scenario "${text}": expected <name>:<target>, e.g. overfill:Area1.TK101`);
  }
  return { name: scenarioName(text.slice(0, colon).trim()), target: text.slice(colon + 1).trim() };
}

export function formatScenario(s: ScenarioRequest): string { return `${s.name}:${s.target}`; }
