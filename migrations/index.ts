import type { Migration } from 'kysely/migration';
import * as foundation from './2026-11-26T0100-foundation.ts';
import * as live from './2026-11-26T0500-live.ts';

/**
 * Every migration, in order. A static list rather than a directory scan, so the set that runs is
 * the set that was reviewed and bundling can never drop one. Names sort by their ISO timestamp.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-26T0100-foundation': foundation,
  '2026-11-26T0500-live': live,
};
