import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('Tally: #app element missing from index.html');
// In the task after the one that evaluates the page's scripts: together they were one long task
// at startup (Lighthouse's total blocking time on a phone). App.svelte mounts in steps from here.
setTimeout(() => mount(App, { target }));
