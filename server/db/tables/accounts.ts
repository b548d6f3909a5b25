import type { ColumnType, Generated } from 'kysely';

export type CreatedAt = ColumnType<Date, Date | undefined, never>;
export type UpdatedAt = ColumnType<Date, Date | undefined, Date>;

export interface AccountsTable {
  id: Generated<string>;
  login: string;
  display_name: string;
  password_hash: string | null;
  locale: Generated<'zh-CN' | 'en'>;
  failed_login_count: Generated<number>;
  locked_until: Date | null;
  password_changed_at: Date | null;
  disabled_at: Date | null;
  created_at: CreatedAt;
}

export interface SessionsTable {
  token_hash: string;
  account_id: string;
  created_at: CreatedAt;
  last_seen_at: UpdatedAt;
  expires_at: Date;
}

export interface SetupTokensTable {
  token_hash: string;
  created_at: CreatedAt;
  expires_at: Date;
  used_at: Date | null;
}

export interface InvitationsTable {
  id: Generated<string>;
  member_id: string;
  code_hash: string;
  created_by: string | null;
  created_at: CreatedAt;
  expires_at: Date;
  used_at: Date | null;
}

export type AccountsDB = {
  accounts: AccountsTable;
  sessions: SessionsTable;
  setup_tokens: SetupTokensTable;
  invitations: InvitationsTable;
};
