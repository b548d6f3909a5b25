import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { CreatedAt, UpdatedAt } from './accounts.ts';

type Json<T extends object> = JSONColumnType<T, string, string>;

export interface QualityRubricsTable {
  id: Generated<string>;
  organization_id: string | null;
  version: number;
  rubric: Json<Record<string, unknown>>;
  note: string | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface MeetingQualityScoresTable {
  id: Generated<string>;
  meeting_id: string;
  rubric_id: string;
  score: number | null;
  grade: string | null;
  components: Json<unknown[]>;
  flags: Json<Record<string, boolean>>;
  explanation: Json<unknown[]>;
  inputs: Json<Record<string, unknown>>;
  /** The caps the score met (AppliedCap[]); optional on insert for writers that predate it. */
  caps: JSONColumnType<unknown[], string | undefined, string>;
  uncapped_score: ColumnType<number | null, number | null | undefined, number | null>;
  reason: string;
  computed_at: CreatedAt;
  superseded_at: Date | null;
}

export interface QualityRecomputeQueueTable {
  meeting_id: string;
  reason: string;
  /** When it became due: a failed attempt moves it later, a new change back to now. */
  queued_at: UpdatedAt;
}

export interface TextFingerprintsTable {
  id: Generated<string>;
  organization_id: string;
  meeting_id: string;
  source_kind: 'criticismItem' | 'selfExamination';
  source_id: string;
  meeting_day: string;
  signature: ColumnType<number[], number[], number[]>;
}

export interface DashboardAccessLogTable {
  id: Generated<string>;
  account_id: string;
  organization_id: string;
  view: string;
  at: CreatedAt;
}

export type QualityDB = {
  quality_rubrics: QualityRubricsTable;
  meeting_quality_scores: MeetingQualityScoresTable;
  quality_recompute_queue: QualityRecomputeQueueTable;
  text_fingerprints: TextFingerprintsTable;
  dashboard_access_log: DashboardAccessLogTable;
};
