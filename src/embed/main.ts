// The widget's entry (embed.html): one compact problem form that a page embeds in an iframe.
// Options come from the query (a plain iframe) or from the host page's messages (embed.js).
import { mount } from 'svelte';
import '../app.css';
import './embed.css';
import Widget from './widget.svelte';
import { optionsFromQuery } from './options';
import { WidgetState } from './widget-state.svelte';

const target = document.getElementById('widget');
if (!target) throw new Error('Tally: #widget element missing from embed.html');
const widget = new WidgetState(optionsFromQuery(location.search));
widget.start();
mount(Widget, { target, props: { widget } });
