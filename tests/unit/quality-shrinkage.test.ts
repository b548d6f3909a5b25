import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BranchSample, shrinkBranchMeans, summarize } from '../../shared/quality/shrinkage.ts';

function shrunk(samples: BranchSample[], options?: Parameters<typeof shrinkBranchMeans>[1]) {
  const result = shrinkBranchMeans(samples, options);
  if (!result.ok) throw new Error(result.reason);
  return result;
}

describe('summary statistics', () => {
  it('gives n, mean and the sample variance (none from a single value)', () => {
    expect(summarize('a', [82, 88, 79])).toEqual({ id: 'a', n: 3, mean: 83, variance: 21 });
    expect(summarize('b', [95])).toEqual({ id: 'b', n: 1, mean: 95, variance: null });
  });
});

describe('empirical-Bayes shrinkage', () => {
  it('declines to compare fewer than two branches, or without any spread within a branch to go on', () => {
    expect(shrinkBranchMeans([summarize('a', [80, 90])])).toEqual({ ok: false, reason: 'tooFewBranches' });
    expect(shrinkBranchMeans([summarize('a', [80]), summarize('b', [90])])).toEqual({
      ok: false,
      reason: 'noWithinVariance',
    });
    // … unless the within-branch variance is known from elsewhere (e.g. earlier years).
    expect(shrinkBranchMeans([summarize('a', [80]), summarize('b', [90])], { withinVariance: 50 }).ok).toBe(
      true,
    );
  });

  it('pulls every branch fully to the committee mean when the means differ no more than noise would', () => {
    // Means 79 and 81 from wildly varying meetings (σ² = 162, so vᵢ = 81): τ² = max(0, 2 − 81) = 0.
    const result = shrunk([summarize('a', [70, 88]), summarize('b', [72, 90])]);
    expect(result.betweenVariance).toBe(0);
    for (const b of result.branches) {
      expect(b.shrinkage).toBe(1);
      expect(b.estimate).toBeCloseTo(80, 9);
      expect(b.position).toBe('indistinguishable');
      expect(b.upper - b.lower).toBeGreaterThan(0);
    }
  });

  it('moves a branch with few meetings more than one with many', () => {
    const result = shrunk([
      { id: 'small', n: 1, mean: 95, variance: null },
      { id: 'large', n: 12, mean: 95, variance: 40 },
      { id: 'c', n: 6, mean: 70, variance: 40 },
      { id: 'd', n: 6, mean: 75, variance: 40 },
    ]);
    const [small, large] = result.branches;
    expect(small!.shrinkage).toBeGreaterThan(large!.shrinkage);
    expect(small!.estimate).toBeLessThan(large!.estimate);
    expect(small!.upper - small!.lower).toBeGreaterThan(large!.upper - large!.lower);
    expect(large!.position).toBe('above');
  });

  it('leaves identical branches with identical meetings exactly where they are', () => {
    const result = shrunk([summarize('a', [80, 80]), summarize('b', [80, 80, 80])]);
    expect(result.branches.map((b) => [b.estimate, b.lower, b.upper, b.shrinkage])).toEqual([
      [80, 80, 80, 0],
      [80, 80, 80, 0],
    ]);
  });

  it('keeps intervals inside the bounds given', () => {
    const result = shrunk(
      [summarize('a', [99, 100, 100]), summarize('b', [40, 60]), summarize('c', [70, 72])],
      {
        bounds: [0, 100],
      },
    );
    for (const b of result.branches) {
      expect(b.lower).toBeGreaterThanOrEqual(0);
      expect(b.upper).toBeLessThanOrEqual(100);
    }
  });

  it('always lands between the branch mean and the committee mean, inside its own interval', () => {
    const branch = fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(fc.array(branch, { minLength: 2, maxLength: 15 }), (branches) => {
        const samples = branches.map((values, i) => summarize(`b${i}`, values));
        const result = shrinkBranchMeans(samples);
        if (!result.ok) {
          expect(samples.every((s) => s.n < 2)).toBe(true);
          return;
        }
        const mu = result.committeeMean;
        for (const b of result.branches) {
          expect(b.shrinkage).toBeGreaterThanOrEqual(0);
          expect(b.shrinkage).toBeLessThanOrEqual(1);
          expect(b.estimate).toBeGreaterThanOrEqual(Math.min(b.mean, mu) - 1e-9);
          expect(b.estimate).toBeLessThanOrEqual(Math.max(b.mean, mu) + 1e-9);
          expect(b.lower).toBeLessThanOrEqual(b.estimate + 1e-9);
          expect(b.upper).toBeGreaterThanOrEqual(b.estimate - 1e-9);
        }
      }),
      { seed: 90, numRuns: 300 },
    );
  });
});
