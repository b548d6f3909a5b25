import type { Generated, JSONColumnType } from 'kysely';
import type { CriticismItemStatus, CriticismPhase, LiveEventKind } from '../../../shared/schemas/live.ts';
import type {
  BallotAnswers,
  RoundKind,
  RoundState,
  StoredRoundConfig,
  SurveyInstrument,
} from '../../../shared/schemas/rounds.ts';
import type { CreatedAt } from './accounts.ts';

export type ParticipantKind = 'member' | 'observer';

export interface SurveyInstrumentsTable {
  id: Generated<string>;
  organization_id: string | null;
  version: number;
  definition: JSONColumnType<SurveyInstrument, string, string>;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface LiveSessionsTable {
  meeting_id: string;
  open: Generated<boolean>;
  join_code: string | null;
  projector_token_hash: string | null;
  opened_at: Date | null;
  opened_by: string | null;
  closed_at: Date | null;
  seq: Generated<number>;
  timer_ends_at: Date | null;
  timer_label: Generated<string>;
}

export interface LiveEventsTable {
  meeting_id: string;
  seq: number;
  kind: LiveEventKind;
  entity_id: string | null;
}

export interface LivePassesTable {
  id: Generated<string>;
  meeting_id: string;
  kind: ParticipantKind;
  member_id: string | null;
  observer_id: string | null;
  code_hash: string;
  code_expires_at: Date;
  token_hash: string | null;
  claimed_at: Date | null;
  issued_by: string | null;
  issued_at: CreatedAt;
  revoked_at: Date | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

export interface RoundsTable {
  id: Generated<string>;
  meeting_id: string;
  kind: RoundKind;
  title: string;
  position: number;
  anonymous: boolean;
  state: Generated<RoundState>;
  config: JSONColumnType<StoredRoundConfig, string, string>;
  instrument_id: string | null;
  instrument_version: number | null;
  created_by: string | null;
  opened_at: Date | null;
  closed_at: Date | null;
  revealed_at: Date | null;
  sealed_at: Date | null;
  /** Ballot rounds: how many could answer when the round closed (turnout is frozen at close). */
  eligible_at_close: number | null;
}

export interface RoundParticipationsTable {
  round_id: string;
  participant_kind: ParticipantKind;
  participant_id: string;
  client_id: string;
}

export interface BallotsTable {
  id: Generated<string>;
  round_id: string;
  content: JSONColumnType<BallotAnswers, string, never>;
  receipt: string;
}

export interface CriticismSubjectsTable {
  id: Generated<string>;
  round_id: string;
  member_id: string;
  position: number;
  phase: Generated<CriticismPhase>;
  self_examination_mode: 'written' | 'oral' | null;
  self_examination: string | null;
  self_examination_client_id: string | null;
  response: string | null;
  response_client_id: string | null;
}

export interface CriticismItemsTable {
  id: Generated<string>;
  round_id: string;
  subject_id: string;
  text: string;
  concrete: boolean;
  status: Generated<CriticismItemStatus>;
  released: Generated<boolean>;
  reveal_position: number | null;
  author_key_hash: string | null;
  client_hash: string | null;
  author_member_id: string | null;
  author_observer_id: string | null;
}

export type LiveDB = {
  survey_instruments: SurveyInstrumentsTable;
  live_sessions: LiveSessionsTable;
  live_events: LiveEventsTable;
  live_passes: LivePassesTable;
  rounds: RoundsTable;
  round_participations: RoundParticipationsTable;
  ballots: BallotsTable;
  criticism_subjects: CriticismSubjectsTable;
  criticism_items: CriticismItemsTable;
};
