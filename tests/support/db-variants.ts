/**
 * Which PostgreSQL variants the integration suite runs against, from DB_VARIANTS (comma-separated):
 * `embedded` (default; our embedded PostgreSQL) and `url` (TEST_DATABASE_URL or the machine's
 * PostgreSQL on 127.0.0.1:5432). .ci/run sets both.
 */
export const allDbVariants = ['embedded', 'url'] as const;
export type DbVariant = (typeof allDbVariants)[number];

export type PreparedDatabases = Partial<
  Record<DbVariant, { adminUrl: string; template: string; prefix: string }>
>;

export function dbVariantsFromEnv(): DbVariant[] {
  const raw = process.env.DB_VARIANTS ?? 'embedded';
  const picked = raw
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  for (const v of picked) {
    if (!(allDbVariants as readonly string[]).includes(v))
      throw new Error(`DB_VARIANTS: unknown variant "${v}"`);
  }
  return picked as DbVariant[];
}
