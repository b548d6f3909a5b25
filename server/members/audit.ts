import { type AuditEntry, actorOf, appendAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/schema.ts';

/**
 * The roster actions that reach the audit log: who is on a branch's roster, who holds a committee
 * post (which grants the secretary role), who counts towards attendance, and who may sign in.
 * Editing a phone number or a note is not among them.
 */
export type RosterAuditAction =
  | 'member.created'
  | 'member.committeeRoleChanged'
  | 'member.statusChanged'
  | 'member.departed'
  | 'exemption.granted'
  | 'exemption.revoked'
  | 'invitations.issued'
  | 'invitation.accepted'
  | 'roster.imported';

/** Who did it: a signed-in principal, or the account an invitation has just created. */
export interface RosterActor {
  accountId: string;
  displayName: string;
}

/**
 * Appends a roster action to the audit log, inside the caller's transaction. Details carry ids,
 * codes and counts only: names, personal fields, free-text notes and invitation codes stay out.
 */
export function auditRoster(
  db: Db,
  actor: RosterActor,
  action: RosterAuditAction,
  organizationId: string,
  details: NonNullable<AuditEntry['details']>,
) {
  return appendAudit(db, { ...actorOf(actor), action, organizationId, details });
}
