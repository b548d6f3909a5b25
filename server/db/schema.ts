import type { Kysely, Transaction } from 'kysely';
import type { AccountsDB } from './tables/accounts.ts';
import type { AppraisalDB } from './tables/appraisal.ts';
import type { AuditDB } from './tables/audit.ts';
import type { LiveDB } from './tables/live.ts';
import type { MeetingsDB } from './tables/meetings.ts';
import type { OrganizationsDB } from './tables/organizations.ts';
import type { QualityDB } from './tables/quality.ts';
import type { RectificationDB } from './tables/rectification.ts';

/** The whole database, as the intersection of each feature's tables (one file per feature). */
export type DB = AccountsDB &
  OrganizationsDB &
  MeetingsDB &
  RectificationDB &
  LiveDB &
  AuditDB &
  QualityDB &
  AppraisalDB;

/** What every data-access function takes first: the pool, or the transaction a service opened. */
export type Db = Kysely<DB> | Transaction<DB>;
