import type { Generated, JSONColumnType } from 'kysely';
import type {
  ApprovalDecision,
  DispositionKind,
  DispositionOutcome,
  FeedbackMethod,
} from '../../../shared/domain/appraisal.ts';
import type { AppraisalGrade } from '../../../shared/domain/enums.ts';
import type { AppraisalReport } from '../../../shared/schemas/appraisal.ts';
import type { CreatedAt } from './accounts.ts';

export interface AppraisalRecordsTable {
  id: Generated<string>;
  meeting_id: string;
  organization_id: string;
  excellent_override_reason: string | null;
  created_at: CreatedAt;
}

export interface AppraisalDeterminationsTable {
  id: Generated<string>;
  record_id: string;
  member_id: string;
  grade: AppraisalGrade | null;
  note: string | null;
  decided_by: string | null;
  decided_at: CreatedAt;
  superseded_at: Date | null;
}

export interface AppraisalFeedbackTable {
  id: Generated<string>;
  record_id: string;
  member_id: string;
  determination_id: string;
  /** YYYY-MM-DD */
  given_on: string;
  method: FeedbackMethod;
  note: string | null;
  recorded_by: string | null;
  recorded_at: CreatedAt;
}

export interface AppraisalResponsesTable {
  id: Generated<string>;
  feedback_id: string;
  determination_id: string;
  text: string;
  submitted_by: string | null;
  submitted_at: CreatedAt;
}

export interface AppraisalDispositionsTable {
  id: Generated<string>;
  record_id: string;
  member_id: string;
  opened_at: CreatedAt;
  education_started_on: string | null;
  education_measures: string | null;
  outcome: DispositionOutcome | null;
  closed_on: string | null;
  closing_note: string | null;
  closed_by: string | null;
}

export interface AppraisalDispositionStepsTable {
  id: Generated<string>;
  disposition_id: string;
  kind: DispositionKind;
  meeting_id: string;
  correction_deadline: string | null;
  note: string | null;
  votes_yes: number;
  votes_no: number;
  votes_abstain: number;
  voting_expected: number;
  voting_present: number;
  quorum_met: boolean;
  passed: boolean;
  approval_decision: ApprovalDecision | null;
  approver_organization: string | null;
  approver_name: string | null;
  approved_on: string | null;
  approval_document: string | null;
  approval_recorded_by: string | null;
  recorded_by: string | null;
  recorded_at: CreatedAt;
}

export interface AppraisalReportsTable {
  id: Generated<string>;
  record_id: string;
  report: JSONColumnType<AppraisalReport, string, never>;
  submitted_by: string | null;
  submitted_at: CreatedAt;
}

export type AppraisalDB = {
  appraisal_records: AppraisalRecordsTable;
  appraisal_determinations: AppraisalDeterminationsTable;
  appraisal_feedback: AppraisalFeedbackTable;
  appraisal_responses: AppraisalResponsesTable;
  appraisal_dispositions: AppraisalDispositionsTable;
  appraisal_disposition_steps: AppraisalDispositionStepsTable;
  appraisal_reports: AppraisalReportsTable;
};
