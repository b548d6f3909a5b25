import type { Generated } from 'kysely';
import type {
  CommitteeRole,
  ExemptionReason,
  MemberStatus,
  OrganizationKind,
  Role,
} from '../../../shared/domain/enums.ts';
import type { MemberDepartureReason } from '../../../shared/domain/roster.ts';
import type { CreatedAt, UpdatedAt } from './accounts.ts';

export interface OrganizationsTable {
  id: Generated<string>;
  parent_id: string | null;
  kind: OrganizationKind;
  name: string;
  /** Ids from the root down to this organization, inclusive. */
  ancestry: string[];
  is_leadership_group: Generated<boolean>;
  settings: Generated<Record<string, unknown>>;
  created_at: CreatedAt;
  archived_at: Date | null;
}

export interface RoleGrantsTable {
  id: Generated<string>;
  account_id: string;
  organization_id: string;
  role: Role;
  granted_by: string | null;
  created_at: CreatedAt;
}

export interface MembersTable {
  id: Generated<string>;
  organization_id: string;
  party_group_id: string | null;
  account_id: string | null;
  full_name: string;
  gender: 'male' | 'female' | null;
  ethnicity: string | null;
  /** ISO date string (YYYY-MM-DD); see the date type parser in connect.ts. */
  birth_date: string | null;
  education: string | null;
  phone: string | null;
  joined_party_on: string | null;
  status: MemberStatus;
  committee_role: CommitteeRole | null;
  leading_cadre: Generated<boolean>;
  dual_org_life: Generated<boolean>;
  notes: string | null;
  left_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  /** Effective date of leaving, as recorded by the secretary (left_at is when the entry was closed). */
  left_on: string | null;
  left_reason: MemberDepartureReason | null;
  left_note: string | null;
}

export interface MemberExemptionsTable {
  id: Generated<string>;
  member_id: string;
  reason: ExemptionReason;
  note: string | null;
  approved_by: string;
  approved_on: string;
  starts_on: string;
  ends_on: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  revoked_at: Date | null;
}

export type OrganizationsDB = {
  organizations: OrganizationsTable;
  role_grants: RoleGrantsTable;
  members: MembersTable;
  member_exemptions: MemberExemptionsTable;
};
