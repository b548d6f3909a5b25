import { describe, expect, it } from 'vitest';
import { effectiveK, suppress } from '../../shared/quality/suppression.ts';

describe('small-group suppression', () => {
  it('defaults to 3 inside the branch and 5 for committees', () => {
    expect(effectiveK(undefined, 'branch')).toBe(3);
    expect(effectiveK(null, 'committee')).toBe(5);
  });

  it('never goes below 3, whatever is configured', () => {
    expect(effectiveK(2, 'branch')).toBe(3);
    expect(effectiveK(0, 'committee')).toBe(3);
    expect(effectiveK(8, 'committee')).toBe(8);
    expect(effectiveK(4.2, 'branch')).toBe(5);
  });

  it('shows a figure from k or more responses and withholds the value below k', () => {
    expect(suppress(4.1, 5, 5)).toEqual({ suppressed: false, value: 4.1, n: 5 });
    const hidden = suppress(4.1, 4, 5);
    expect(hidden).toEqual({ suppressed: true, n: 4, k: 5 });
    expect(JSON.stringify(hidden)).not.toContain('4.1');
  });

  it('applies the floor of 3 even when handed a smaller k directly', () => {
    expect(suppress('mean', 2, 1)).toEqual({ suppressed: true, n: 2, k: 3 });
  });
});
