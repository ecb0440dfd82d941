// Streamed text arrives a piece per network read, often several per frame and for several samples
// at once. A FrameBatch joins the pieces per key and hands them over on an animation frame, at most
// once a frame (or once per `everyMs`, when given), so the page updates each streaming solution at
// that pace however fast tokens come.

/**
 * How often streaming text reaches the page (the app and the widget), ms: ten times a second, a
 * few tokens each. Every update lays out and paints the streaming boxes; at one a frame, four
 * streams spent a quarter of the page's thread on that (bench:ui, docs/BENCHMARKS.md), more than
 * a reader can follow.
 */
export const streamUpdateMs = 100;

export class FrameBatch<K> {
  readonly #pending = new Map<K, string>();
  readonly #apply: (key: K, text: string) => void;
  readonly #everyMs: number;
  #frame: number | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** when the last update was applied (performance.now()) */
  #last = -Infinity;
  #closed = false;

  /**
   * `apply(key, text)` gets the text that arrived for `key` since its last call; updates come at
   * least `everyMs` apart (0: every frame).
   */
  constructor(apply: (key: K, text: string) => void, everyMs = 0) {
    this.#apply = apply;
    this.#everyMs = everyMs;
  }

  /** Queues `text` for `key`; the next frame (or `flush`) applies it. Ignored once closed. */
  push(key: K, text: string): void {
    if (this.#closed || text === '') return;
    this.#pending.set(key, (this.#pending.get(key) ?? '') + text);
    if (this.#frame !== undefined || this.#timer !== undefined) return;
    const wait = this.#last + this.#everyMs - performance.now();
    if (wait > 0) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#onFrame();
      }, wait);
    } else this.#onFrame();
  }

  #onFrame(): void {
    this.#frame = requestAnimationFrame(() => {
      this.#frame = undefined;
      this.flush();
    });
  }

  #cancel(): void {
    if (this.#frame !== undefined) cancelAnimationFrame(this.#frame);
    clearTimeout(this.#timer);
    this.#frame = undefined;
    this.#timer = undefined;
  }

  /** Applies everything queued now, in the order keys first arrived. */
  flush(): void {
    this.#cancel();
    this.#last = performance.now();
    const pending = [...this.#pending];
    this.#pending.clear();
    for (const [key, text] of pending) this.#apply(key, text);
  }

  /** Drops what is queued and ignores later pushes (the run it belonged to is gone). */
  close(): void {
    this.#cancel();
    this.#pending.clear();
    this.#closed = true;
  }
}
