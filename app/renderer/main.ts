import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { createApiClient } from './lib/api-client.js';
import { Station } from './lib/station.svelte.js';
import { ConsoleSession } from './lib/session.svelte.js';
import { AlarmConsole } from './lib/alarms/console.svelte.js';
import { startFlashClock } from './lib/flash-clock.js';

const target = document.getElementById('app');
if (!target) throw new Error('index.html: element #app is missing');
const api = createApiClient();
// The session first: it learns whether this console must sign in before the plant is loaded.
const session = new ConsoleSession(api);
const station = new Station(api, false);
// What the alarm console offers follows who is signed in (the station still checks every action).
const alarmConsole = new AlarmConsole(api, false, () => session.current);
session.onReady(() => {
  void station.resync();
  void alarmConsole.alarms.resync();
});
startFlashClock(document.documentElement);
mount(App, { target, props: { station, session, alarmConsole } });
