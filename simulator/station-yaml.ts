// Writes resources/station.yaml, the default station config, from the plant catalog, so the
// config names exactly what the simulator serves. Run after changing model/catalog.ts:
//   npx tsx simulator/station-yaml.ts
// station-yaml.test.ts fails while the committed file differs from what this prints.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PLANT, detectorTag, esdTag, tankTags, type DetectorSpec, type SimTagInfo } from './model/catalog.js';
import { alarmBlock, alarmSettings } from './station-alarms.js';

export const STATION_YAML = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'station.yaml');

/** Deadbands in engineering units: about twice the sensor noise, never below the resolution. */
function compression(tag: SimTagInfo, detector?: DetectorSpec): string | null {
  switch (tag.role) {
    case 'level': return '{ kind: deadband, deviation: 0.005 }';
    case 'temperature': return '{ kind: deadband, deviation: 0.2 }';
    case 'pressure': return '{ kind: deadband, deviation: 0.5 }';
    case 'inletValve': case 'outletValve': return '{ kind: deadband, deviation: 0.5 }';
    case 'lel': case 'toxic': {
      const d = detector as DetectorSpec;
      return `{ kind: deadband, deviation: ${Math.max(2 * d.noise, d.resolution)} }`;
    }
    default: return null;
  }
}

function scalar(s: string): string {
  const plain = /^[A-Za-z°][\w .°/-]*$/.test(s) && !/^(true|false|null|yes|no|on|off)$/i.test(s) && !s.endsWith(' ');
  return plain ? s : JSON.stringify(s);
}

function tagYaml(tag: SimTagInfo, detector?: DetectorSpec): string {
  const lines = [
    `  - name: ${tag.name}`,
    '    server: sim',
    `    nodeId: ${JSON.stringify(tag.nodeId)}`,
    `    description: ${scalar(tag.description)}`,
  ];
  if (tag.unit) lines.push(`    unit: ${scalar(tag.unit.symbol)}`);
  if (tag.range) lines.push(`    range: [${tag.range[0]}, ${tag.range[1]}]`);
  lines.push(`    kind: ${tag.kind}`, `    area: ${tag.area}`, `    equipment: ${tag.equipment}`, `    role: ${tag.role}`);
  const c = compression(tag, detector);
  if (c) lines.push(`    compression: ${c}`);
  return lines.join('\n');
}

export function stationYaml(): string {
  const out: string[] = [
    '# Vigil default station config: the demo tank farm served by the built-in simulator',
    '# (npm run simulator). Generated from simulator/model/catalog.ts by simulator/station-yaml.ts;',
    '# edit the catalog and regenerate rather than editing this file by hand.',
    '#',
    '# Node ids are string ids in the simulator\'s own namespace, index 1 (urn:vigil:simulator),',
    '# named after the tag. Compression deviations are in engineering units (about twice the',
    '# sensor noise); discrete and text tags are archived uncompressed.',
    '#',
    '# Alarms (ISA-18.2): each tag\'s `alarms:` block gives its limits (HH/H/L/LL), deviation,',
    '# rate of change, state and bad-quality alarms with priority, message and rationalization',
    '# (cause, consequence, action); deadbands (units or % of span) and on/off-delays follow the',
    '# typical starting values (level 5 %, temperature 1 %, pressure 2 %; 15 s pressure, 60 s',
    '# temperature). The station-wide `alarms:` section at the end sets priorities, shelving',
    '# limits per role, flood, journal retention, KPI figures and the console keys.',
    '# Measurements (level, temperature, pressure, gas) also have a frozen-value alarm: a Good',
    '# value unchanged for 10 minutes of live data is a stuck transmitter.',
    '',
    'station:',
    '  name: Tank Farm North',
    '',
    'servers:',
    '  - id: sim',
    '    endpoint: opc.tcp://127.0.0.1:4840/vigil',
    '    # Signed and encrypted. The simulator\'s certificate is trusted automatically only when the',
    '    # station starts it with this bundled config; any other server\'s is refused until an engineer',
    '    # trusts it under Tags → Certificates (README: "Trusting a server certificate").',
    '    security: { mode: SignAndEncrypt, policy: Basic256Sha256 }',
    '    samplingIntervalMs: 500     # the simulator ticks every 500 ms',
    '    publishingIntervalMs: 500',
    '',
    'areas:',
    ...PLANT.map((a) => `  - { id: ${a.id}, name: ${JSON.stringify(a.name)} }`),
    '',
    'tags:',
  ];
  for (const area of PLANT) {
    out.push(`  # ==== ${area.name} ${'='.repeat(Math.max(0, 70 - area.name.length))}`);
    for (const t of area.tanks) {
      out.push(`  # ---- ${t.id}: ${t.product}, ${t.height} m shell; fills to ${t.highSetpoint} m, empties to ` +
        `${t.lowSetpoint} m; high-level switch at ${t.switchLevel} m`);
      for (const tag of tankTags(t)) out.push(tagYaml(tag), ...alarmBlock(tag, t));
    }
    for (const d of area.detectors) {
      out.push(`  # ---- ${d.id}: ${d.gas} detector, ${d.range[0]}..${d.range[1]} ${d.unit.symbol}; ` +
        `the ESD trips at ${d.tripLevel} ${d.unit.symbol}`);
      out.push(tagYaml(detectorTag(d), d), ...alarmBlock(detectorTag(d), undefined, d));
    }
    out.push('  # ---- ESD: latches on a new high-level switch or gas trip; reset by the simulator\'s ClearScenarios.');
    out.push(`  # Its trip alarm is the simulator's OPC UA Alarms & Conditions condition ${area.id}.ESD.TripAlarm`);
    out.push('  # (severity 900: priority 1), acknowledged and confirmed back on the server.');
    out.push(tagYaml(esdTag(area)));
  }
  out.push('', ...alarmSettings());
  return `${out.join('\n')}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(STATION_YAML, stationYaml());
  process.stderr.write(`wrote ${STATION_YAML}\n`);
}
