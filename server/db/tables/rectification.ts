import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type {
  IssueSource,
  ProblemCategory,
  ProblemOrigin,
  PublicationScope,
  RectificationStatus,
  SubjectScope,
} from '../../../shared/domain/enums.ts';
import type {
  EvidenceItem,
  RectificationEventDetails,
  RectificationEventKind,
} from '../../../shared/domain/rectification.ts';
import type { CreatedAt, UpdatedAt } from './accounts.ts';

export interface ProblemsTable {
  id: Generated<string>;
  organization_id: string;
  meeting_id: string | null;
  scope: SubjectScope;
  subject_member_id: string | null;
  description: string;
  source: IssueSource;
  category: ProblemCategory | null;
  origin_kind: Generated<ProblemOrigin>;
  origin_id: string | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface RectificationItemsTable {
  id: Generated<string>;
  organization_id: string;
  problem_id: string;
  meeting_id: string | null;
  scope: SubjectScope;
  subject_member_id: string | null;
  measures: string;
  owner_member_id: string | null;
  owner_unit: string | null;
  due_on: string | null;
  pledge: string | null;
  immediate_fix: Generated<boolean>;
  status: Generated<RectificationStatus>;
  completion_note: string | null;
  evidence: JSONColumnType<EvidenceItem[], string | undefined, string>;
  completed_at: Date | null;
  verified_by: string | null;
  verified_at: Date | null;
  published_scope: PublicationScope | null;
  published_at: Date | null;
  reviewed_at_meeting_id: string | null;
  cancelled_reason: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface RectificationEventsTable {
  id: Generated<string>;
  item_id: string;
  at: CreatedAt;
  by_account: string | null;
  from_status: RectificationStatus | null;
  to_status: RectificationStatus;
  note: string | null;
  kind: Generated<RectificationEventKind>;
  details: JSONColumnType<RectificationEventDetails | null, string | null | undefined, never>;
}

export interface RectificationAttachmentsTable {
  id: Generated<string>;
  item_id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  data: ColumnType<Buffer, Buffer, never>;
  uploaded_by: string | null;
  uploaded_at: CreatedAt;
}

export type RectificationDB = {
  problems: ProblemsTable;
  rectification_items: RectificationItemsTable;
  rectification_events: RectificationEventsTable;
  rectification_attachments: RectificationAttachmentsTable;
};
