import { describe, expect, it } from 'vitest';
import { round } from '../../shared/quality/rounding.ts';

describe('rounding of shown figures', () => {
  it('rounds halves away from zero, as people do by hand', () => {
    expect([round(84.5), round(84.49), round(65.5), round(0.5), round(-0.5)]).toEqual([85, 84, 66, 1, -1]);
    expect(round(-5.55, 1)).toBe(-5.6);
  });

  it('is not fooled by binary noise', () => {
    // 1.005 is stored as 1.00499999999999989…, 0.1 + 0.2 as 0.30000000000000004.
    expect(round(1.005, 2)).toBe(1.01);
    expect(round(0.1 + 0.2, 1)).toBe(0.3);
    expect(round((100 * 76.475) / 90, 0)).toBe(85);
  });

  it('never returns negative zero', () => {
    expect(Object.is(round(-0.0001, 2), 0)).toBe(true);
  });
});
