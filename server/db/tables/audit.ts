export interface AuditLogTable {
  seq: number;
  at: Date;
  actor_account_id: string | null;
  actor_label: string;
  action: string;
  organization_id: string | null;
  meeting_id: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export type AuditDB = { audit_log: AuditLogTable };
