/** The plant overview: areas, tanks, detectors, ESD. */
export const overview = {
  'overview.title': 'Overview',
  'overview.empty': 'The station configuration has no areas or tags.',
  'overview.level': 'Level',
  'overview.temperature': 'Temperature',
  'overview.pressure': 'Pressure',
  'overview.inletValve': 'Inlet valve',
  'overview.outletValve': 'Outlet valve',
  'overview.pump': 'Pump',
  'overview.highLevelSwitch': 'High-level sw.',
  'overview.tank': 'Tank {equipment}',
  'overview.esd': 'ESD',
  'overview.gas': 'Gas',
  'overview.gasOf': 'Gas detectors of {area}',
  'overview.otherTags': 'Other tags',
  'overview.detectorRange': '{description} (range {low}–{high} {unit})',
} as const;
