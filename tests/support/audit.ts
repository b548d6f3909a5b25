import type { Kysely } from 'kysely';
import type { DB } from '../../server/db/schema.ts';
import type { TestClient } from './test-app.ts';

export interface AuditedAction {
  action: string;
  actorLabel: string;
  organizationId: string | null;
  details: Record<string, unknown>;
}

/** The newest sequence number in the audit log: take it before an action, read what came after. */
export async function auditMark(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

/**
 * What was audited on an organization's subtree after `mark`, oldest first, read the way its
 * administrators read it (through the API, so scoping is part of what a test sees). Fails when the
 * chain does not verify.
 */
export async function auditedSince(
  admin: TestClient,
  organizationId: string,
  mark: number,
): Promise<AuditedAction[]> {
  const page = await admin.get(`/api/organizations/${organizationId}/audit?limit=200`);
  if (page.status !== 200) throw new Error(`audit trail: ${page.status} ${page.raw}`);
  if (!page.body.chain.ok) throw new Error(`audit chain broken: ${JSON.stringify(page.body.chain)}`);
  return (page.body.entries as Array<AuditedAction & { seq: number }>)
    .filter((e) => e.seq > mark)
    .reverse()
    .map(({ action, actorLabel, organizationId, details }) => ({
      action,
      actorLabel,
      organizationId,
      details,
    }));
}
