/**
 * Fair comparison across branches (empirical Bayes). A five-member branch with two meetings has a
 * noisy mean; ranking it first or last would reward luck. Each branch's mean is pulled toward the
 * committee mean in proportion to how little data it has, and shown with a 90% interval.
 *
 * Model (normal–normal): branch i's observed mean yᵢ of nᵢ values ~ N(θᵢ, σ²/nᵢ), and the true
 * means θᵢ ~ N(μ, τ²).
 * - σ² (within-branch variance): pooled sample variance, Σ(nᵢ−1)sᵢ² / Σ(nᵢ−1).
 * - vᵢ = σ²/nᵢ, the sampling variance of branch i's mean.
 * - τ² (between-branch variance), method of moments: max(0, s²ᵧ − mean(vᵢ)), where s²ᵧ is the
 *   sample variance of the branch means (E[s²ᵧ] = τ² + mean(vᵢ)); floored at 0.
 * - μ = Σ wᵢyᵢ / Σ wᵢ with wᵢ = 1/(τ² + vᵢ).
 * - Bᵢ = vᵢ / (vᵢ + τ²), the shrinkage weight: 0 keeps the branch's own mean, 1 replaces it with μ.
 * - estimate θ̂ᵢ = μ + (1 − Bᵢ)(yᵢ − μ); variance (1 − Bᵢ)vᵢ + Bᵢ²/Σwⱼ (the second term carries
 *   the uncertainty of μ itself); interval θ̂ᵢ ± 1.645 × √variance, clamped to `bounds`.
 *
 * @example
 * const result = shrinkBranchMeans(
 *   [summarize('A', [82, 88, 79]), summarize('B', [95]), summarize('C', [70, 75, 72, 68, 71, 74]), summarize('D', [60, 90])],
 *   { bounds: [0, 100] },
 * );
 * // B, best on paper from one meeting, moves most: mean 95 → estimate 87.9 (77.4–98.4), shrinkage 0.47;
 * // C, six consistent meetings, barely moves: 71.7 → 72.7 (67.5–77.9) and reads 'below'.
 */

/** z for a two-sided 90% interval. */
const z90 = 1.6448536269514722;

export interface BranchSample {
  id: string;
  /** Number of values (e.g. scored meetings), at least 1. */
  n: number;
  mean: number;
  /** Sample variance (n − 1 denominator); null when n < 2. */
  variance: number | null;
}

/** Summary statistics of one branch's values. */
export function summarize(id: string, values: readonly number[]): BranchSample {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1) : null;
  return { id, n, mean, variance };
}

export interface ShrunkBranch {
  id: string;
  n: number;
  /** The branch's own mean. */
  mean: number;
  /** The shrunk estimate. */
  estimate: number;
  lower: number;
  upper: number;
  /** Bᵢ, 0–1: how far the estimate moved from the branch's mean toward the committee mean. */
  shrinkage: number;
  /** Where the 90% interval lies against the committee mean — what to say instead of a rank. */
  position: 'above' | 'below' | 'indistinguishable';
}

export type Shrinkage =
  | {
      ok: true;
      committeeMean: number;
      betweenVariance: number;
      withinVariance: number;
      branches: ShrunkBranch[];
    }
  /** Fewer than two branches, or no branch with two values to estimate the within-branch spread. */
  | { ok: false; reason: 'tooFewBranches' | 'noWithinVariance' };

export function shrinkBranchMeans(
  samples: readonly BranchSample[],
  options: { withinVariance?: number; bounds?: [number, number] } = {},
): Shrinkage {
  const branches = samples.filter((s) => s.n >= 1);
  const k = branches.length;
  if (k < 2) return { ok: false, reason: 'tooFewBranches' };

  let withinVariance = options.withinVariance;
  if (withinVariance === undefined) {
    let df = 0;
    let sum = 0;
    for (const s of branches) {
      if (s.n < 2 || s.variance === null) continue;
      df += s.n - 1;
      sum += (s.n - 1) * s.variance;
    }
    if (df === 0) return { ok: false, reason: 'noWithinVariance' };
    withinVariance = sum / df;
  }

  const v = branches.map((s) => withinVariance / s.n);
  const meanOfMeans = branches.reduce((sum, s) => sum + s.mean, 0) / k;
  const varianceOfMeans = branches.reduce((sum, s) => sum + (s.mean - meanOfMeans) ** 2, 0) / (k - 1);
  const betweenVariance = Math.max(0, varianceOfMeans - v.reduce((a, b) => a + b, 0) / k);

  // With no spread at all (σ² = τ² = 0) every weight would be infinite: every mean is then exact
  // (and equal), so equal weights, no shrinkage and zero-width intervals are the honest answer.
  const noSpread = withinVariance === 0 && betweenVariance === 0;
  const w = v.map((vi) => (noSpread ? 1 : 1 / (betweenVariance + vi)));
  const wSum = w.reduce((a, b) => a + b, 0);
  const committeeMean = branches.reduce((sum, s, i) => sum + w[i]! * s.mean, 0) / wSum;
  const meanVariance = noSpread ? 0 : 1 / wSum;
  const [low, high] = options.bounds ?? [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  const clamp = (x: number) => Math.min(high, Math.max(low, x));

  return {
    ok: true,
    committeeMean,
    betweenVariance,
    withinVariance,
    branches: branches.map((s, i) => {
      const vi = v[i]!;
      const shrinkage = noSpread ? 0 : vi / (vi + betweenVariance);
      const estimate = committeeMean + (1 - shrinkage) * (s.mean - committeeMean);
      const half = z90 * Math.sqrt((1 - shrinkage) * vi + shrinkage ** 2 * meanVariance);
      const lower = clamp(estimate - half);
      const upper = clamp(estimate + half);
      const position =
        lower > committeeMean ? 'above' : upper < committeeMean ? 'below' : 'indistinguishable';
      return { id: s.id, n: s.n, mean: s.mean, estimate, lower, upper, shrinkage, position };
    }),
  };
}
