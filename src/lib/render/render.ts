// The page side of rendering: asks the render worker for HTML, then sanitizes it with DOMPurify.
// Model output is untrusted; nothing reaches the DOM without passing `sanitize`.
import DOMPurify from 'dompurify';
import { plainHtml } from './escape';
import type { Mark } from './marks';

/** The render worker's one request. */
export interface RenderRequest {
  id: number;
  /** markdown with LaTeX, as the model wrote it */
  text: string;
  /** ranges of `text` to highlight (wrong arithmetic) */
  marks: readonly Mark[];
}

/** Its reply: HTML that is not yet safe to insert. */
export interface RenderReply {
  id: number;
  html: string;
}

let hooked = false;

/** Sanitized HTML: no scripts, handlers, styles sheets, forms, images or non-web links. */
export function sanitize(html: string): string {
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node instanceof HTMLAnchorElement) {
        if (!/^https?:/i.test(node.getAttribute('href') ?? '')) node.removeAttribute('href');
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer nofollow');
      }
    });
    hooked = true;
  }
  return DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true, mathMl: true },
    FORBID_TAGS: ['style', 'img', 'form', 'input', 'button', 'iframe', 'video', 'audio', 'source'],
    FORBID_ATTR: ['srcset', 'ping'],
    ADD_ATTR: ['target'],
  });
}

type Waiter = (html: string) => void;

/** One render worker per page, shared by every rendered solution. */
class Renderer {
  #worker: Worker | undefined;
  #next = 0;
  readonly #waiting = new Map<number, Waiter>();

  #start(): Worker {
    const worker = new Worker(new URL('./render.worker.ts', import.meta.url), {
      type: 'module',
      name: 'tally-render',
    });
    worker.onmessage = (event: MessageEvent<RenderReply>) => {
      const done = this.#waiting.get(event.data.id);
      this.#waiting.delete(event.data.id);
      done?.(event.data.html);
    };
    worker.onerror = () => {
      this.#worker = undefined;
      for (const done of this.#waiting.values()) done('');
      this.#waiting.clear();
    };
    return worker;
  }

  /** Safe HTML for `text` with `marks` highlighted; escaped plain text if the worker fails. */
  render(text: string, marks: readonly Mark[] = []): Promise<string> {
    this.#worker ??= this.#start();
    const id = this.#next++;
    const worker = this.#worker;
    return new Promise((resolve) => {
      this.#waiting.set(id, (html) => {
        resolve(sanitize(html || plainHtml(text)));
      });
      const request: RenderRequest = { id, text, marks };
      worker.postMessage(request);
    });
  }
}

export const renderer = new Renderer();
