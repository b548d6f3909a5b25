/**
 * Small-group suppression (ANONYMITY.md property 4): no figure built from fewer than k responses is
 * shown. Inside the branch k defaults to 3, in committee views and exports to 5; a configured value
 * below 3 is raised to 3, because with two answers each respondent can read the other's.
 *
 * @example
 * const k = effectiveK(rubric.suppression.committeeK, 'committee'); // 5
 * suppress(4.1, 23, k); // { suppressed: false, value: 4.1, n: 23 }
 * suppress(4.1, 4, k);  // { suppressed: true, n: 4, k: 5 } → "少于 5 份，不显示"
 */

export const suppressionScopes = ['branch', 'committee'] as const;
export type SuppressionScope = (typeof suppressionScopes)[number];

/** The floor no configuration can go below. */
export const minimumK = 3;

export const defaultK: Record<SuppressionScope, number> = { branch: 3, committee: 5 };

/** The k to apply in a scope: the configured value (or the scope's default), never below 3. */
export function effectiveK(configured: number | null | undefined, scope: SuppressionScope): number {
  const k = configured ?? defaultK[scope];
  // A non-integer k would make "fewer than k" ambiguous; round up so the rule never weakens.
  return Math.max(minimumK, Math.ceil(k));
}

export type Suppressed<T> =
  | { suppressed: false; value: T; n: number }
  | { suppressed: true; n: number; k: number };

/**
 * Wraps a figure built from `n` responses: shown when n ≥ k, otherwise only the fact that it was
 * withheld and why (n and k) — the value itself never travels.
 */
export function suppress<T>(value: T, n: number, k: number): Suppressed<T> {
  const floor = Math.max(minimumK, k);
  return n >= floor ? { suppressed: false, value, n } : { suppressed: true, n, k: floor };
}
