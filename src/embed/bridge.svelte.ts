// The widget's end of the postMessage channel: it hears only its parent window, only from the
// parent's origin, only well-formed messages; it posts only to that origin. Everything else is counted.
import { originAllowed } from '../lib/pwa/policy';
import { envelope, parseHostMessage, type HostMessage, type WidgetBody } from './protocol';

/** Why a message was ignored. */
export type IgnoredReason = 'not-parent' | 'wrong-origin' | 'malformed';

/** The parent's origin as this document can know it before any message: Chromium and WebKit tell. */
function knownParentOrigin(): string | undefined {
  const ancestors = location.ancestorOrigins as DOMStringList | undefined;
  const first = ancestors && ancestors.length > 0 ? ancestors[0] : undefined;
  if (first !== undefined && first !== 'null') return first;
  if (window.parent === window.top && document.referrer) {
    try {
      return new URL(document.referrer).origin;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export class ParentBridge {
  /** messages dropped: from another window, another origin, or not the protocol */
  ignored = $state(0);
  /** the last reason a message was dropped, for the details panel */
  lastIgnored = $state<IgnoredReason | undefined>();
  /** the origin messages go to and come from; undefined until known */
  parentOrigin = $state<string | undefined>();
  /** set when the deployer's allow-list does not include the embedding site */
  refused = $state<string | undefined>();
  /** inside a frame at all */
  readonly framed: boolean;
  readonly #allowed: readonly string[];
  readonly #onMessage: (message: HostMessage) => void;
  readonly #onOrigin: () => void;
  readonly #listener = (event: MessageEvent) => {
    this.#receive(event);
  };

  /**
   * @param allowed the deployer's allow-list (empty: any site)
   * @param onMessage gets each valid message from the parent
   * @param onOrigin called once the parent's origin is known and allowed (post `ready` then)
   */
  constructor(
    allowed: readonly string[],
    onMessage: (message: HostMessage) => void,
    onOrigin: () => void,
  ) {
    this.framed = window.parent !== window;
    this.#allowed = allowed;
    this.#onMessage = onMessage;
    this.#onOrigin = onOrigin;
  }

  /** Starts listening; tells `onOrigin` at once when the browser already named the parent. */
  start(): void {
    addEventListener('message', this.#listener);
    if (!this.framed) return;
    const origin = knownParentOrigin();
    if (origin !== undefined) this.#learn(origin);
  }

  stop(): void {
    removeEventListener('message', this.#listener);
  }

  /** Posts to the parent's origin, never to '*'; nothing before that origin is known and allowed. */
  post(body: WidgetBody): void {
    const origin = this.parentOrigin;
    if (!this.framed || origin === undefined || this.refused !== undefined) return;
    window.parent.postMessage(envelope(body), origin);
  }

  #learn(origin: string): void {
    this.parentOrigin = origin;
    const ancestors = location.ancestorOrigins as DOMStringList | undefined;
    const all = ancestors && ancestors.length > 0 ? [...ancestors] : [origin];
    // Tally's own pages (the embed page's preview) may always frame it.
    const outsider = all.find((o) => o !== location.origin && !originAllowed(o, this.#allowed));
    if (outsider !== undefined) {
      this.refused = outsider;
      return;
    }
    this.#onOrigin();
  }

  #ignore(reason: IgnoredReason): void {
    this.ignored += 1;
    this.lastIgnored = reason;
  }

  #receive(event: MessageEvent): void {
    if (!this.framed || event.source !== window.parent) {
      this.#ignore('not-parent');
      return;
    }
    if (this.parentOrigin !== undefined && event.origin !== this.parentOrigin) {
      this.#ignore('wrong-origin');
      return;
    }
    const message = parseHostMessage(event.data);
    if (!message) {
      this.#ignore('malformed');
      return;
    }
    if (this.parentOrigin === undefined) this.#learn(event.origin);
    if (this.refused !== undefined) return;
    this.#onMessage(message);
  }
}
