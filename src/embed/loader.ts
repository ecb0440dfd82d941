// The host script's entry, built on its own into /embed.js (vite.config.ts): one classic script, no
// imports, no globals. Loaded any other way (as a module) it has no tag to follow and only warns.
import { embed } from './host';

const current = document.currentScript;
if (current instanceof HTMLScriptElement) embed(current);
else console.warn('Tally embed: load embed.js with a plain <script src> tag (not a module).');
