// Renders solutions off the main thread: markdown and KaTeX are the page's heaviest code.
// A render that throws replies with escaped text, so a solution is always shown somehow.
import { plainHtml } from './escape';
import { toHtml } from './markup';
import type { RenderReply, RenderRequest } from './render';

self.onmessage = (event: MessageEvent<RenderRequest>) => {
  const { id, text, marks } = event.data;
  let html: string;
  try {
    html = toHtml(text, marks);
  } catch {
    html = plainHtml(text);
  }
  const reply: RenderReply = { id, html };
  self.postMessage(reply);
};
