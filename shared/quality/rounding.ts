/**
 * Rounding for shown and stored figures: halves go away from zero (84.5 → 85, −0.25 → −0.3 at one
 * digit), and binary noise is cut first, so 84.5 computed as 84.49999999999 still becomes 85 —
 * the number a person would get by hand from the same inputs.
 *
 * @example
 * round(84.5);      // 85
 * round(0.1 + 0.2, 1); // 0.3
 */
export function round(value: number, digits = 0): number {
  const factor = 10 ** digits;
  const scaled = Number((Math.abs(value) * factor).toFixed(9));
  return (Math.sign(value) * Math.round(scaled)) / factor || 0;
}
