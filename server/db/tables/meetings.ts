import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type {
  AttendanceStatus,
  LeaveStatus,
  MeetingMode,
  MeetingStatus,
  MeetingType,
} from '../../../shared/domain/enums.ts';
import type {
  AgendaItem,
  MeetingPreparation,
  MinutesContent,
  MinutesSnapshot,
} from '../../../shared/domain/meetings.ts';
import type { CreatedAt, UpdatedAt } from './accounts.ts';

export interface MeetingsTable {
  id: Generated<string>;
  organization_id: string;
  type: MeetingType;
  title: string;
  session_no: number | null;
  theme: Generated<string>;
  starts_at: Date;
  ends_at: Date | null;
  location: Generated<string>;
  mode: Generated<MeetingMode>;
  host_member_id: string | null;
  recorder_member_id: string | null;
  agenda: JSONColumnType<AgendaItem[], string | undefined, string>;
  includes_appraisal: Generated<boolean>;
  preparation: JSONColumnType<MeetingPreparation, string | undefined, string>;
  status: Generated<MeetingStatus>;
  cancelled_reason: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface MeetingInviteesTable {
  meeting_id: string;
  member_id: string;
}

export interface MeetingObserversTable {
  id: Generated<string>;
  meeting_id: string;
  name: string;
  affiliation: Generated<string>;
  member_id: string | null;
}

export interface LeaveRequestsTable {
  id: Generated<string>;
  meeting_id: string;
  member_id: string;
  reason: string;
  status: Generated<LeaveStatus>;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
  created_at: CreatedAt;
}

export interface AttendanceTable {
  meeting_id: string;
  member_id: string;
  status: AttendanceStatus;
  checked_in_at: Date | null;
  source: Generated<'recorder' | 'checkIn'>;
  note: string | null;
  recorded_by: string | null;
  updated_at: UpdatedAt;
}

export interface MinutesTable {
  meeting_id: string;
  recording_method: Generated<'summary' | 'verbatim'>;
  content: JSONColumnType<MinutesContent, string | undefined, string>;
  custodian_member_id: string | null;
  host_signed_at: Date | null;
  host_signed_by: string | null;
  recorder_signed_at: Date | null;
  recorder_signed_by: string | null;
  locked_at: Date | null;
  snapshot: JSONColumnType<MinutesSnapshot | null, string | null | undefined, string | null>;
  updated_by: string | null;
  updated_at: UpdatedAt;
}

export interface MinutesAmendmentsTable {
  id: Generated<string>;
  meeting_id: string;
  amended_by: string;
  amended_at: CreatedAt;
  reason: string;
  changes: JSONColumnType<Array<{ field: string; before: unknown; after: unknown }>, string, string>;
}

export interface MinutesAttachmentsTable {
  id: Generated<string>;
  meeting_id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  data: ColumnType<Buffer, Buffer, never>;
  uploaded_by: string | null;
  uploaded_at: CreatedAt;
}

export type MeetingsDB = {
  meetings: MeetingsTable;
  meeting_invitees: MeetingInviteesTable;
  meeting_observers: MeetingObserversTable;
  leave_requests: LeaveRequestsTable;
  attendance: AttendanceTable;
  minutes: MinutesTable;
  minutes_amendments: MinutesAmendmentsTable;
  minutes_attachments: MinutesAttachmentsTable;
};
