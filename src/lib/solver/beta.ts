// The regularized incomplete beta function, for the Beta-posterior stopping rule in stop.ts.
// Numerical: accurate to about 1e-12 for the shape parameters voting produces (1..100); NaN in, NaN out.

const lanczos = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = lanczos[0] ?? 1;
  for (let i = 1; i < lanczos.length; i += 1) sum += (lanczos[i] ?? 0) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const tiny = 1e-300;

/** The continued fraction for I_x(a, b), evaluated by the modified Lentz method. */
function continuedFraction(a: number, b: number, x: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let h = d;
  for (let m = 1; m <= 300; m += 1) {
    const m2 = 2 * m;
    for (const term of [
      (m * (b - m) * x) / ((a + m2 - 1) * (a + m2)),
      -((a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1)),
    ]) {
      d = 1 + term * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + term / c;
      if (Math.abs(c) < tiny) c = tiny;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-15) break;
  }
  return h;
}

/** I_x(a, b): P(X <= x) for X ~ Beta(a, b), with a, b > 0 and 0 <= x <= 1. */
export function betaCdf(x: number, a: number, b: number): number {
  if (Number.isNaN(x) || !(a > 0) || !(b > 0)) return NaN;
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x),
  );
  // the fraction converges fast only on one side of the mean; use symmetry on the other
  return x < (a + 1) / (a + b + 2)
    ? (front * continuedFraction(a, b, x)) / a
    : 1 - (front * continuedFraction(b, a, 1 - x)) / b;
}

/**
 * P(p1 > p2 | v1, v2) under a uniform prior: P(X > 1/2) for X ~ Beta(v1 + 1, v2 + 1), where v1
 * and v2 are the votes of the leading and second answers (Aggarwal et al. 2023).
 */
export function leadProbability(v1: number, v2: number): number {
  return 1 - betaCdf(0.5, v1 + 1, v2 + 1);
}
