import type { FieldChange } from '../../shared/domain/field-changes.ts';
import type { Principal } from '../access/principal.ts';
import { type AuditEntry, actorOf, appendAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/schema.ts';

/**
 * Records who did what to a meeting or its minutes. Pass the action's transaction: the entry
 * commits or rolls back with what it records.
 */
export function auditMeeting(
  db: Db,
  principal: Principal,
  meeting: { id: string; organization_id: string },
  action: string,
  details?: AuditEntry['details'],
) {
  return appendAudit(db, {
    ...actorOf(principal),
    action,
    organizationId: meeting.organization_id,
    meetingId: meeting.id,
    ...(details ? { details } : {}),
  });
}

/**
 * The top-level fields a change touched, e.g. `closingSummary,speeches`: the audit trail says what
 * kind of thing changed, never the record's content (nor, for attendance, whose mark it was).
 */
export function changedFieldNames(changes: readonly FieldChange[]): string {
  return [...new Set(changes.map((c) => c.field.split('.')[0]!))].sort().join(',');
}
