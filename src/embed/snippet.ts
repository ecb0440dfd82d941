// The HTML a page author pastes to embed Tally, built from the options they picked on the embed
// page. Values are escaped for an HTML attribute; options left at their defaults are left out.
import type { WidgetOptions } from './protocol';

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** The one-line `<script>` embed for a Tally served at `base` (e.g. https://tally.example/). */
export function scriptSnippet(base: string, options: WidgetOptions): string {
  const parts = [`<script src="${attr(new URL('embed.js', base).href)}"`];
  const add = (name: string, value: string | undefined) => {
    if (value !== undefined && value !== '') parts.push(`data-${name}="${attr(value)}"`);
  };
  add('question', options.question);
  add('mode', options.mode);
  if (options.mode === 'ensemble')
    add('k', options.k === undefined ? undefined : String(options.k));
  add('model', options.model);
  add('server-url', options.server?.baseUrl);
  add('server-model', options.server?.model);
  if (options.autorun) parts.push('data-autorun');
  return `${parts.join(' ')}></script>`;
}

/** The widget's URL with options in its query: the plain-iframe embed, and the live preview. */
export function widgetUrl(base: string, options: WidgetOptions): string {
  const url = new URL('embed.html', base);
  const set = (name: string, value: string | undefined) => {
    if (value !== undefined && value !== '') url.searchParams.set(name, value);
  };
  set('question', options.question);
  set('mode', options.mode);
  if (options.mode === 'ensemble')
    set('k', options.k === undefined ? undefined : String(options.k));
  set('model', options.model);
  set('server', options.server?.baseUrl);
  set('server-model', options.server?.model);
  if (options.autorun) url.searchParams.set('autorun', '');
  return url.href;
}

/** A plain `<iframe>` embed: no script on the host page, no auto-resize, no messages. */
export function iframeSnippet(base: string, options: WidgetOptions): string {
  return `<iframe src="${attr(widgetUrl(base, options))}" title="Tally: math word-problem solver" style="width:100%;height:420px;border:0"></iframe>`;
}
