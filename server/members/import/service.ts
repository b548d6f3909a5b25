import type { ImportIssue, ImportPreview, ImportResult } from '../../../shared/schemas/members.ts';
import type { Db } from '../../db/schema.ts';
import { createOrganization } from '../../orgs/service.ts';
import { auditRoster, type RosterActor } from '../audit.ts';
import { listPartyGroups } from '../roster.ts';
import { groupKey, type ImportContext, planImport } from './plan.ts';
import { readTable } from './read-table.ts';

export interface Upload {
  fileName: string;
  bytes: Buffer;
}

async function loadImportContext(db: Db, branchId: string): Promise<ImportContext> {
  const [members, partyGroups] = await Promise.all([
    db
      .selectFrom('members')
      .select(['id', 'full_name', 'phone', 'birth_date', 'committee_role'])
      .where('organization_id', '=', branchId)
      .where('left_at', 'is', null)
      .execute(),
    listPartyGroups(db, branchId),
  ]);
  return {
    members: members.map((m) => ({
      id: m.id,
      fullName: m.full_name,
      phone: m.phone,
      birthDate: m.birth_date,
      committeeRole: m.committee_role,
    })),
    partyGroups,
  };
}

/** Step 1: what the file would do to the roster, row by row. Writes nothing. */
export async function previewImport(db: Db, branchId: string, upload: Upload): Promise<ImportPreview> {
  const table = await readTable(upload.bytes);
  return planImport(table, upload.fileName, await loadImportContext(db, branchId)).preview;
}

/**
 * Step 2: the same file again, planned afresh against the roster as it is now, written only if
 * no row has an error. Must run in a transaction: all rows, new party groups and the audit entry,
 * or nothing.
 */
export async function commitImport(
  trx: Db,
  branchId: string,
  upload: Upload,
  actor: RosterActor,
): Promise<{ ok: true; result: ImportResult } | { ok: false; issues: ImportIssue[] }> {
  // Serialises imports (and their secretary and duplicate checks) on this branch.
  await trx.selectFrom('organizations').select('id').where('id', '=', branchId).forUpdate().execute();
  const table = await readTable(upload.bytes);
  const { preview, toCreate } = planImport(table, upload.fileName, await loadImportContext(trx, branchId));
  if (preview.errors.length > 0) return { ok: false, issues: preview.errors };

  const groupIds = new Map((await listPartyGroups(trx, branchId)).map((g) => [groupKey(g.name), g.id]));
  for (const name of preview.partyGroupsToCreate)
    groupIds.set(
      groupKey(name),
      await createOrganization(trx, { parentId: branchId, kind: 'partyGroup', name }),
    );

  if (toCreate.length > 0) {
    await trx
      .insertInto('members')
      .values(
        toCreate.map((v) => ({
          organization_id: branchId,
          full_name: v.fullName,
          gender: v.gender,
          ethnicity: v.ethnicity,
          birth_date: v.birthDate,
          education: v.education,
          phone: v.phone,
          joined_party_on: v.joinedPartyOn,
          // planImport refuses a row without a status, so every row here has one.
          status: v.status!,
          committee_role: v.committeeRole,
          party_group_id: v.partyGroupName ? (groupIds.get(groupKey(v.partyGroupName)) ?? null) : null,
          leading_cadre: v.leadingCadre,
          dual_org_life: v.dualOrgLife,
          notes: v.notes,
        })),
      )
      .execute();
  }
  const result = {
    created: toCreate.length,
    skipped: preview.counts.existing,
    partyGroupsCreated: preview.partyGroupsToCreate,
  };
  await auditRoster(trx, actor, 'roster.imported', branchId, {
    rows: preview.counts.rows,
    created: result.created,
    skipped: result.skipped,
    partyGroupsCreated: result.partyGroupsCreated.length,
    committeePosts: toCreate.filter((v) => v.committeeRole !== null).length,
  });
  return { ok: true, result };
}
