import { describe, expect, test } from 'vitest';
import { ProgressMeter } from './progress';

describe('ProgressMeter', () => {
  test('bytes shown never go back, even when a damaged file starts over', () => {
    const meter = new ProgressMeter();
    const shown = [0, 100, 250, 120, 200, 300, 400].map(
      (bytes, i) => meter.update(bytes, 1000, i * 100).bytesDone,
    );
    expect(shown).toEqual([0, 100, 250, 250, 250, 300, 400]);
  });

  test('speed is smoothed: one fast burst moves it part of the way', () => {
    const meter = new ProgressMeter({ halfLifeMs: 1000, warmupMs: 0 });
    let bytes = 0;
    meter.update(bytes, 1e9, 0);
    for (let t = 100; t <= 3000; t += 100) {
      bytes += 1000; // 10 KB/s
      meter.update(bytes, 1e9, t);
    }
    const steady = meter.update(bytes, 1e9, 3000).bytesPerSecond;
    expect(steady).toBeCloseTo(10_000, -2);
    bytes += 100_000; // a burst at 1 MB/s for 100 ms
    const after = meter.update(bytes, 1e9, 3100).bytesPerSecond;
    expect(after).toBeGreaterThan(steady);
    expect(after).toBeLessThan(200_000);
  });

  test('the ETA counts down through jitter and only rises on a real slowdown', () => {
    const meter = new ProgressMeter({ halfLifeMs: 500, warmupMs: 0 });
    let bytes = 0;
    const total = 1_000_000;
    meter.update(0, total, 0);
    const etas: number[] = [];
    for (let t = 100; t <= 2000; t += 100) {
      bytes += t % 200 === 0 ? 1500 : 500; // 10 KB/s on average, uneven
      etas.push(meter.update(bytes, total, t).etaSeconds ?? NaN);
    }
    const settled = etas.slice(3);
    expect(settled).toEqual([...settled].sort((a, b) => b - a));
    // the link slows to a tenth: the ETA goes up to match
    for (let t = 2100; t <= 6000; t += 100) {
      bytes += 100;
      meter.update(bytes, total, t);
    }
    const slow = meter.update(bytes, total, 6000).etaSeconds ?? 0;
    expect(slow).toBeGreaterThan(Math.max(...etas) * 2);
  });

  test('no ETA before a speed is known; zero when done', () => {
    const meter = new ProgressMeter({ warmupMs: 500 });
    expect(meter.update(0, 100, 0).etaSeconds).toBeUndefined();
    expect(meter.update(10, 100, 100).etaSeconds).toBeUndefined();
    expect(meter.update(100, 100, 600).etaSeconds).toBe(0);
  });
});
