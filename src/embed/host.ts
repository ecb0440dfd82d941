// What the host script does for one <script> tag: an iframe after it, sized to the widget's content,
// the widget's messages turned into DOM events. Bad attributes are left out with a console warning.
import { optionsFromDataset } from './options';
import {
  PROTOCOL,
  PROTOCOL_VERSION,
  envelope,
  parseHostMessage,
  parseWidgetMessage,
  type HostBody,
} from './protocol';

/** The widget's messages become these events on the iframe (they bubble to `document`). */
export const eventPrefix = 'tally-';

/** Puts one widget after `script`, wired to it; returns the iframe. */
export function embed(script: HTMLScriptElement): HTMLIFrameElement {
  const widgetUrl = new URL('embed.html', script.src);
  const widgetOrigin = widgetUrl.origin;
  const options = optionsFromDataset(script.dataset, (key) => {
    console.warn(`Tally embed: ignoring the invalid data attribute for “${key}”.`);
  });
  const frame = document.createElement('iframe');
  frame.src = widgetUrl.href;
  frame.title = script.dataset.title ?? 'Tally: math word-problem solver';
  frame.setAttribute('allow', 'storage-access');
  frame.style.cssText = 'display:block;width:100%;border:0;height:220px;color-scheme:normal';
  script.after(frame);

  const send = (body: HostBody) => {
    frame.contentWindow?.postMessage(envelope(body), widgetOrigin);
  };
  let readySinceLoad = false;
  addEventListener('message', (event: MessageEvent) => {
    if (event.source !== frame.contentWindow || event.origin !== widgetOrigin) return;
    const message = parseWidgetMessage(event.data);
    if (!message) return;
    if (message.type === 'ready') {
      readySinceLoad = true;
      send({ type: 'configure', options });
    } else if (message.type === 'resize') {
      frame.style.height = `${Math.ceil(message.height)}px`;
    }
    frame.dispatchEvent(
      new CustomEvent(`${eventPrefix}${message.type}`, { detail: message, bubbles: true }),
    );
  });
  // A browser that names no parent origin to the widget waits for a first message from us.
  frame.addEventListener('load', () => {
    if (!readySinceLoad) send({ type: 'configure', options });
    readySinceLoad = false;
  });
  // The page asks for a solve: frame.dispatchEvent(new CustomEvent('tally-solve', { detail }))
  frame.addEventListener(`${eventPrefix}solve`, (event) => {
    if (!(event instanceof CustomEvent)) return;
    const detail: unknown = event.detail;
    const request = parseHostMessage(
      typeof detail === 'object'
        ? { ...detail, protocol: PROTOCOL, v: PROTOCOL_VERSION, type: 'solve' }
        : undefined,
    );
    if (request) send(request);
    else console.warn('Tally embed: a tally-solve event needs { id, question, mode?, k? }.');
  });
  return frame;
}
