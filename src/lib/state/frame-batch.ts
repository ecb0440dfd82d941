// Streamed text arrives a piece per network read, often several per frame and for several samples
// at once. A FrameBatch joins the pieces per key and hands them over once per animation frame, so
// the page updates each streaming solution at most once a frame, however fast tokens come.

export class FrameBatch<K> {
  readonly #pending = new Map<K, string>();
  readonly #apply: (key: K, text: string) => void;
  #frame: number | undefined;
  #closed = false;

  /** `apply(key, text)` gets the text that arrived for `key` since its last call. */
  constructor(apply: (key: K, text: string) => void) {
    this.#apply = apply;
  }

  /** Queues `text` for `key`; the next frame (or `flush`) applies it. Ignored once closed. */
  push(key: K, text: string): void {
    if (this.#closed || text === '') return;
    this.#pending.set(key, (this.#pending.get(key) ?? '') + text);
    this.#frame ??= requestAnimationFrame(() => {
      this.#frame = undefined;
      this.flush();
    });
  }

  /** Applies everything queued now, in the order keys first arrived. */
  flush(): void {
    if (this.#frame !== undefined) cancelAnimationFrame(this.#frame);
    this.#frame = undefined;
    const pending = [...this.#pending];
    this.#pending.clear();
    for (const [key, text] of pending) this.#apply(key, text);
  }

  /** Drops what is queued and ignores later pushes (the run it belonged to is gone). */
  close(): void {
    if (this.#frame !== undefined) cancelAnimationFrame(this.#frame);
    this.#frame = undefined;
    this.#pending.clear();
    this.#closed = true;
  }
}
