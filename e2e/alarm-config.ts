/**
 * Alarm definitions for the browser tests, in place of the default config's
 * (so the tests do not move when resources/station.yaml is tuned):
 * - every tank temperature alarms above 5 °C at P4: a page of standing
 *   alarms at once, to ack "the visible page" and to shelve;
 * - Area1.TK101.Level H just above where the level is when the test starts
 *   (an overfill crosses it in seconds, not the minutes to 16 m), HH above;
 * - Area2.GD201 NH3 HH 25 ppm P1, latching, not shelvable (spec AT-301);
 * - Area2.ESD.Tripped, a latching P1 state alarm that returns to normal when
 *   the simulator's scenarios are cleared (-> RESET REQUIRED).
 */
import type { Document } from 'yaml';

interface TagNode {
  name: string;
  role?: string;
}

export function addTestAlarms(doc: Document, tk101Level: number): void {
  const tags = (doc.toJS() as { tags: TagNode[] }).tags;
  tags.forEach((_, i) => doc.deleteIn(['tags', i, 'alarms']));
  const set = (name: string, alarms: object) => {
    const i = tags.findIndex((t) => t.name === name);
    if (i < 0) throw new Error(`e2e alarm config: no tag ${name} in resources/station.yaml`);
    doc.setIn(['tags', i, 'alarms'], doc.createNode(alarms));
  };
  tags.filter((t) => t.role === 'temperature').forEach((t) => {
    set(t.name, {
      deadband: 0.5,
      limits: { H: { value: 5, priority: 4, message: `${t.name.split('.')[1]} temperature high`, cause: 'Test limit below ambient.', consequence: 'None: a standing test alarm.', action: 'Acknowledge or shelve.' } },
    });
  });
  const h = Math.round((tk101Level + 0.25) * 100) / 100;
  set('Area1.TK101.Level', {
    deadband: 0.05,
    limits: {
      H: { value: h, priority: 2, message: 'Tank 101 level high', cause: 'Inlet valve stuck open or transfer not stopped.', consequence: 'Overfill of methanol into the bund.', action: 'Close the TK101 inlet valve; stop the transfer.' },
      HH: { value: h + 3, priority: 1, message: 'Tank 101 level high high' },
    },
  });
  set('Area2.GD201.Concentration', {
    deadband: 1,
    latching: true,
    shelvable: false,
    limits: { HH: { value: 25, priority: 1, message: 'Ammonia gas high high', cause: 'NH3 release near GD201.', consequence: 'Toxic exposure of people in Area 2.', action: 'Evacuate Area 2; confirm the ESD; isolate the leak.' } },
  });
  set('Area2.ESD.Tripped', { latching: true, shelvable: false, state: { when: true, priority: 1, message: 'Area 2 ESD tripped' } });
}
