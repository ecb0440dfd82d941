// Turns raw byte counts into what a person sees: bytes that never go back, a smoothed speed, and
// an ETA that counts down through jitter (ProgressMeter: pure; a bad clock only yields a zero
// speed, never NaN); and a download's reports, throttled (Reporter).
import type { FileState } from './disk';
import type { DownloadPhase, DownloadProgress } from './types';

/** What the meter shows at one moment. */
export interface Reading {
  /** bytes, never decreasing */
  bytesDone: number;
  /** bytes per second, exponentially smoothed */
  bytesPerSecond: number;
  /** seconds; undefined until a speed is known */
  etaSeconds?: number;
}

export interface MeterOptions {
  /** ms for a speed change to count half: longer is steadier, shorter reacts faster */
  halfLifeMs?: number;
  /** ms of data before the first speed is shown */
  warmupMs?: number;
  /** the ETA only goes up when the estimate is this much above the countdown (ratio) */
  slack?: number;
}

export class ProgressMeter {
  readonly #halfLifeMs: number;
  readonly #warmupMs: number;
  readonly #slack: number;
  #shown = 0;
  #speed = 0;
  #eta: number | undefined;
  /** the last sample the speed was measured from */
  #sampleMs: number | undefined;
  #sampleBytes = 0;
  /** the previous call, for the countdown */
  #prevMs = 0;

  constructor(options: MeterOptions = {}) {
    this.#halfLifeMs = options.halfLifeMs ?? 3000;
    this.#warmupMs = options.warmupMs ?? 500;
    this.#slack = options.slack ?? 1.2;
  }

  /**
   * @param actual bytes in hand now (may drop when a damaged file is fetched again)
   * @param total bytes of the whole download
   * @param nowMs a monotonic clock, ms
   */
  update(actual: number, total: number, nowMs: number): Reading {
    const elapsed = Math.max(0, nowMs - this.#prevMs);
    this.#prevMs = nowMs;
    if (this.#sampleMs === undefined) {
      this.#sampleMs = nowMs;
      this.#sampleBytes = actual;
    } else if (actual < this.#sampleBytes) {
      // a file is being fetched again: measure from here
      this.#sampleBytes = actual;
    } else {
      const dt = nowMs - this.#sampleMs;
      const rate = dt > 0 ? ((actual - this.#sampleBytes) / dt) * 1000 : 0;
      if (this.#speed === 0 && dt >= this.#warmupMs && rate > 0) {
        this.#speed = rate;
        this.#sampleMs = nowMs;
        this.#sampleBytes = actual;
      } else if (this.#speed > 0 && dt > 0) {
        const alpha = 1 - Math.exp((-dt * Math.LN2) / this.#halfLifeMs);
        this.#speed += alpha * (rate - this.#speed);
        this.#sampleMs = nowMs;
        this.#sampleBytes = actual;
      }
    }
    this.#shown = Math.min(Math.max(this.#shown, actual), total);
    const remaining = Math.max(0, total - this.#shown);
    if (remaining === 0) {
      this.#eta = 0;
    } else if (this.#speed > 0) {
      const estimate = remaining / this.#speed;
      const counted = this.#eta === undefined ? undefined : Math.max(0, this.#eta - elapsed / 1000);
      if (counted === undefined || estimate <= counted) this.#eta = estimate;
      else if (estimate <= counted * this.#slack + 2) this.#eta = counted;
      else this.#eta = estimate;
    }
    return {
      bytesDone: this.#shown,
      bytesPerSecond: this.#speed,
      ...(this.#eta === undefined ? {} : { etaSeconds: this.#eta }),
    };
  }
}

/** Throttled, monotonic progress for one download. */
export class Reporter {
  readonly #meter = new ProgressMeter();
  readonly #id: string;
  readonly #onProgress: ((p: DownloadProgress) => void) | undefined;
  readonly #everyMs: number;
  #last = -Infinity;
  #phase: DownloadPhase = 'planning';
  files: FileState[] = [];
  /** bytes received of files not yet done */
  inFlight = 0;

  constructor(id: string, onProgress: ((p: DownloadProgress) => void) | undefined, everyMs = 250) {
    this.#id = id;
    this.#onProgress = onProgress;
    this.#everyMs = everyMs;
  }

  phase(phase: DownloadPhase): void {
    this.#phase = phase;
    this.emit(true);
  }

  bytes(delta: number): void {
    this.inFlight += delta;
    this.emit(false);
  }

  emit(force: boolean): void {
    if (!this.#onProgress) return;
    const now = performance.now();
    if (!force && now - this.#last < this.#everyMs) return;
    this.#last = now;
    let done = 0;
    let total = 0;
    let filesDone = 0;
    for (const f of this.files) {
      total += f.size ?? 0;
      if (f.done) {
        done += f.size ?? 0;
        filesDone += 1;
      }
    }
    const actual = done + this.inFlight;
    total = Math.max(total, actual);
    const reading = this.#meter.update(actual, total, now);
    this.#onProgress({
      id: this.#id,
      phase: this.#phase,
      bytesDone: reading.bytesDone,
      bytesTotal: total,
      bytesPerSecond: reading.bytesPerSecond,
      ...(reading.etaSeconds === undefined ? {} : { etaSeconds: reading.etaSeconds }),
      filesDone,
      filesTotal: this.files.length,
    });
  }
}
