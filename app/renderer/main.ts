import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { createApiClient } from './lib/api-client.js';
import { Station } from './lib/station.svelte.js';
import { AlarmConsole } from './lib/alarms/console.svelte.js';

const target = document.getElementById('app');
if (!target) throw new Error('index.html: element #app is missing');
const api = createApiClient();
mount(App, { target, props: { station: new Station(api), alarmConsole: new AlarmConsole(api) } });
