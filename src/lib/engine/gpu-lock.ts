// One in-browser model on the GPU per browser: a Web Lock held while a page has a model loaded. A
// second tab or a widget waits for it (told who holds it, over a BroadcastChannel) or takes it
// over; the page that loses it is told and unloads. Pages in different storage partitions (a
// widget on another site, with third-party storage partitioned) get separate locks and cannot see
// each other: there the browser's own GPU memory limits are all that applies.

const LOCK = 'tally-gpu-model';
const CHANNEL = 'tally-gpu-model';
/** ms to wait for the holder to say who it is */
const WHO_TIMEOUT_MS = 500;

type Message = { type: 'who' } | { type: 'holder'; who: string };

/** How another page names this one, with the model it holds. */
export function describeThisPage(model: string): string {
  if (typeof window === 'undefined' || window.top === window.self) {
    return `Tally in another tab (${model})`;
  }
  const parent = location.ancestorOrigins[0] ?? document.referrer;
  let host = 'another site';
  try {
    host = new URL(parent).host || host;
  } catch {
    // no usable parent origin: keep the generic name
  }
  return `the Tally widget on ${host} (${model})`;
}

/** Asks the holder who it is; a holder that does not answer is named generically. */
function askWho(): Promise<string> {
  const channel = new BroadcastChannel(CHANNEL);
  return new Promise<string>((resolve) => {
    const timer = setTimeout(() => {
      resolve('another Tally tab or widget');
    }, WHO_TIMEOUT_MS);
    channel.onmessage = (event: MessageEvent<Message>) => {
      if (event.data.type !== 'holder' || typeof event.data.who !== 'string') return;
      clearTimeout(timer);
      resolve(event.data.who);
    };
    channel.postMessage({ type: 'who' } satisfies Message);
  }).finally(() => {
    channel.close();
  });
}

/** Answers "who" while this page holds the lock. */
function answerWho(who: string): BroadcastChannel {
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (event: MessageEvent<Message>) => {
    if (event.data.type === 'who') channel.postMessage({ type: 'holder', who } satisfies Message);
  };
  return channel;
}

export interface GpuHoldOptions {
  /** stops waiting (the hold's promise rejects with the signal's reason) */
  signal?: AbortSignal;
  /** another page holds the GPU; this one waits for it, or `takeOver()` */
  onWait?: (holder: string) => void;
  /** another page took the GPU from this one */
  onTakenOver?: () => void;
}

export interface GpuHold {
  /** resolves once this page holds the GPU */
  held: Promise<void>;
  /** while waiting: take the GPU from its holder, which is told and unloads */
  takeOver(): void;
  /** frees the GPU for others */
  release(): void;
}

/** Asks for the GPU for this page, named `who` to pages that wait for it. */
export function holdGpu(who: string, options: GpuHoldOptions = {}): GpuHold {
  let granted: () => void = () => undefined;
  let refused: (reason: unknown) => void = () => undefined;
  const held = new Promise<void>((resolve, reject) => {
    granted = resolve;
    refused = reject;
  });
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  // Without Web Locks (an insecure context) there is nothing to coordinate with.
  if (!locks) {
    granted();
    return { held, takeOver: () => undefined, release: () => undefined };
  }
  let free: () => void = () => undefined;
  const freed = new Promise<void>((resolve) => {
    free = resolve;
  });
  let holding = false;
  let released = false;
  let stealing = false;
  let channel: BroadcastChannel | undefined;
  let waiting: AbortController | undefined;

  const onLock = async (lock: Lock | null): Promise<boolean> => {
    if (!lock) return false;
    if (released) return true;
    holding = true;
    channel = answerWho(who);
    granted();
    await freed;
    return true;
  };

  const request = (lockOptions: LockOptions, steal: boolean) => {
    locks.request(LOCK, lockOptions, onLock).then(
      (got) => {
        if (!got) wait();
      },
      (error: unknown) => {
        channel?.close();
        if (released) return;
        if (holding) {
          // Only a steal ends a held lock's request early.
          holding = false;
          options.onTakenOver?.();
        } else if (!(stealing && !steal)) {
          refused(error);
        }
      },
    );
  };

  const wait = () => {
    void askWho().then((holder) => {
      if (!holding && !released) options.onWait?.(holder);
    });
    waiting = new AbortController();
    const stop = waiting;
    options.signal?.addEventListener(
      'abort',
      () => {
        stop.abort(options.signal?.reason);
      },
      { once: true },
    );
    request({ signal: stop.signal }, false);
  };

  if (options.signal?.aborted) refused(options.signal.reason);
  else request({ ifAvailable: true }, false);

  return {
    held,
    takeOver() {
      if (holding || released || stealing) return;
      stealing = true;
      waiting?.abort();
      request({ steal: true }, true);
    },
    release() {
      released = true;
      waiting?.abort();
      channel?.close();
      free();
    },
  };
}
