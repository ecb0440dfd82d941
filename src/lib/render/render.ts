// The page side of rendering: asks the render worker for HTML, then sanitizes it with DOMPurify
// (sanitize.ts). Model output is untrusted; nothing reaches the DOM without passing `sanitize`.
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

type Waiter = (html: string) => void;

/** One render worker per page, shared by every rendered solution. */
class Renderer {
  #worker: Worker | undefined;
  #next = 0;
  readonly #waiting = new Map<number, Waiter>();
  /** DOMPurify and KaTeX's styles: fetched with the first solution, not with the page */
  #sanitize: Promise<((html: string) => string) | undefined> | undefined;
  #styles: Promise<unknown> | undefined;

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

  /**
   * Fetches DOMPurify and KaTeX's style sheet, once: the page asks when a model or server is
   * ready, so the first solution does not wait for them. Neither loads offline on a visit before
   * the service worker kept them: solutions then show as escaped text, math with the page's fonts.
   */
  prepare(): void {
    this.#sanitize ??= import('./sanitize').then(
      (module) => module.sanitize,
      () => undefined,
    );
    this.#styles ??= import('katex/dist/katex.min.css').catch(() => undefined);
  }

  /**
   * Safe HTML for `text` with `marks` highlighted; escaped plain text if the worker fails. The
   * sanitizer (DOMPurify) and KaTeX's style sheet are not part of the page's startup (`prepare`;
   * KaTeX's fonts load only when a formula uses them); a render resolves once both are in, so
   * math never shows unstyled.
   */
  render(text: string, marks: readonly Mark[] = []): Promise<string> {
    this.#worker ??= this.#start();
    this.prepare();
    const id = this.#next++;
    const worker = this.#worker;
    const html = new Promise<string>((resolve) => {
      this.#waiting.set(id, (reply) => {
        resolve(reply || plainHtml(text));
      });
      const request: RenderRequest = { id, text, marks };
      worker.postMessage(request);
    });
    return Promise.all([html, this.#sanitize, this.#styles]).then(([reply, sanitize]) =>
      sanitize ? sanitize(reply) : plainHtml(text),
    );
  }
}

export const renderer = new Renderer();
