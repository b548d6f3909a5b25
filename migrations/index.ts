import type { Migration } from 'kysely/migration';
import * as foundation from './2026-11-26T0100-foundation.ts';
import * as members from './2026-11-26T0200-members.ts';
import * as meetings from './2026-11-26T0300-meetings.ts';
import * as rectification from './2026-11-26T0400-rectification.ts';
import * as live from './2026-11-26T0500-live.ts';
import * as audit from './2026-11-26T0700-audit.ts';
import * as quality from './2026-11-26T0800-quality.ts';
import * as dashboards from './2026-11-26T0810-dashboards.ts';
import * as qualityScores from './2026-11-26T0820-quality-scores.ts';
import * as appraisal from './2026-11-26T0900-appraisal.ts';
import * as roundEligibility from './2026-11-26T1000-round-eligibility.ts';

/**
 * Every migration, in order. A static list rather than a directory scan, so the set that runs is
 * the set that was reviewed and bundling can never drop one. Names sort by their ISO timestamp.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-26T0100-foundation': foundation,
  '2026-11-26T0200-members': members,
  '2026-11-26T0300-meetings': meetings,
  '2026-11-26T0400-rectification': rectification,
  '2026-11-26T0500-live': live,
  '2026-11-26T0700-audit': audit,
  '2026-11-26T0800-quality': quality,
  '2026-11-26T0810-dashboards': dashboards,
  '2026-11-26T0900-appraisal': appraisal,
  '2026-11-26T0820-quality-scores': qualityScores,
  '2026-11-26T1000-round-eligibility': roundEligibility,
};
