// The host script's entry, built on its own into /embed.js (vite.config.ts): a classic script with
// no imports and no globals, so `<script src=".../embed.js" data-question="…">` is all a page needs.
import { embed } from './host';

const current = document.currentScript;
if (current instanceof HTMLScriptElement) embed(current);
else console.warn('Tally embed: load embed.js with a plain <script src> tag (not a module).');
