// Where the benchmark chart (ui/bench/bench-chart.svelte) draws its points along x: modes that
// sit at about the same number of samples (single call and program both use one) are set side by
// side, centred on where they belong, so none hides another and each stays near its value.

/**
 * Positions for points at `xs` (any order; the result keeps it): a group of points closer than
 * `gap` is laid out `gap` apart, centred on the group's mean x, and kept within [lo, hi].
 */
export function sideBySide(xs: readonly number[], gap: number, lo: number, hi: number): number[] {
  const order = xs.map((x, i) => ({ x, i })).sort((a, b) => a.x - b.x);
  const groups: { points: typeof order; at: number }[] = [];
  /** the group's middle: its mean x, moved inside [lo, hi] with its half-width */
  const centre = (points: typeof order) => {
    const half = ((points.length - 1) * gap) / 2;
    const mean = points.reduce((t, p) => t + p.x, 0) / points.length;
    return Math.min(Math.max(mean, lo + half), Math.max(lo + half, hi - half));
  };
  for (const point of order) {
    groups.push({ points: [point], at: point.x });
    // a group that reaches within `gap` of the one before it joins it, and the pair is centred anew
    for (;;) {
      const [a, b] = groups.slice(-2);
      if (!a || !b) break;
      const aRight = a.at + ((a.points.length - 1) * gap) / 2;
      const bLeft = b.at - ((b.points.length - 1) * gap) / 2;
      if (bLeft - aRight >= gap) break;
      const points = [...a.points, ...b.points];
      groups.splice(-2, 2, { points, at: centre(points) });
    }
  }
  const at: number[] = [];
  for (const group of groups) {
    const left = group.at - ((group.points.length - 1) * gap) / 2;
    group.points.forEach((point, n) => {
      at[point.i] = left + n * gap;
    });
  }
  return at;
}
