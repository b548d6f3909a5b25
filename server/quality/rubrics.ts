import { sql } from 'kysely';
import type { OrganizationKind } from '../../shared/domain/enums.ts';
import { defaultRubric, parseRubric, type Rubric, rubricSchema } from '../../shared/quality/rubric.ts';
import type { PublishRubricBody, RubricVersionView } from '../../shared/schemas/quality.ts';
import type { OrganizationScope, Principal } from '../access/principal.ts';
import { actorOf, appendAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/schema.ts';
import { badRequest, conflict } from '../http/errors.ts';

export interface StoredRubric {
  id: string;
  /** The organization that published it; null for the built-in default. */
  organizationId: string | null;
  version: number;
  rubric: Rubric;
}

/**
 * The rubric in force for an organization: the latest version published by the nearest
 * organization on its path (a branch's own, else its general branch's, else its committee's…),
 * or the built-in default (QUALITY-INDEX.md), which is stored as version 1 the first time it is
 * needed so every score can point at the exact rubric row it was computed with.
 */
export async function effectiveRubric(db: Db, ancestry: readonly string[]): Promise<StoredRubric> {
  if (ancestry.length > 0) {
    const published = await db
      .selectFrom('quality_rubrics')
      .select(['id', 'organization_id', 'version', 'rubric'])
      .where('organization_id', 'in', [...ancestry])
      // Nearest organization first (its position in the ancestry), then its newest version.
      .orderBy(sql`array_position(${sql.val([...ancestry])}::uuid[], organization_id)`, 'desc')
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (published) return toStored(published);
  }
  return builtInRubric(db);
}

export async function builtInRubric(db: Db): Promise<StoredRubric> {
  const existing = await db
    .selectFrom('quality_rubrics')
    .select(['id', 'organization_id', 'version', 'rubric'])
    .where('organization_id', 'is', null)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (existing) return toStored(existing);
  await db
    .insertInto('quality_rubrics')
    .values({
      organization_id: null,
      version: defaultRubric.version,
      rubric: JSON.stringify(defaultRubric),
      note: 'built-in default',
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return builtInRubric(db);
}

function toStored(row: {
  id: string;
  organization_id: string | null;
  version: number;
  rubric: unknown;
}): StoredRubric {
  return {
    id: row.id,
    organizationId: row.organization_id,
    version: row.version,
    rubric: rubricSchema.parse(row.rubric),
  };
}

/** Every rubric on an organization's path — its own versions, its superiors', the default — newest first. */
export async function rubricVersions(db: Db, ancestry: readonly string[]): Promise<RubricVersionView[]> {
  await builtInRubric(db);
  const rows = await db
    .selectFrom('quality_rubrics as r')
    .leftJoin('organizations as o', 'o.id', 'r.organization_id')
    .leftJoin('accounts as a', 'a.id', 'r.created_by')
    .select([
      'r.id',
      'r.organization_id',
      'r.version',
      'r.rubric',
      'r.note',
      'r.created_at',
      'o.name as organizationName',
      'a.display_name as createdByName',
    ])
    .where((eb) =>
      eb.or([
        eb('r.organization_id', 'is', null),
        ...(ancestry.length ? [eb('r.organization_id', 'in', [...ancestry])] : []),
      ]),
    )
    .orderBy('r.created_at', 'desc')
    .orderBy('r.version', 'desc')
    .execute();
  return rows.map((row) => ({
    ...toStored(row),
    organizationName: row.organizationName,
    // The default's row carries an operator's label, not a committee's note.
    note: row.organization_id === null ? null : row.note,
    createdAt: row.created_at.toISOString(),
    createdByName: row.createdByName,
  }));
}

/** Committees set the rubric for the branches below them; a branch follows its committee's. */
export const rubricPublishers: readonly OrganizationKind[] = ['primaryCommittee', 'generalBranch'];

/**
 * Publishes an edited rubric as the organization's next version (never overwriting one), requeues
 * the held meetings it now governs — those below the organization with no nearer rubric of their
 * own — and audits it. The edit must start from the rubric in force: publishing over a version
 * someone published meanwhile is refused. Run it in the caller's transaction.
 */
export async function publishRubric(
  db: Db,
  scope: OrganizationScope,
  body: PublishRubricBody,
  principal: Principal,
): Promise<{ id: string; version: number; requeued: number }> {
  await sql`select pg_advisory_xact_lock(hashtext('quality_rubrics:' || ${scope.id}))`.execute(db);
  const inForce = await effectiveRubric(db, scope.ancestry);
  if (inForce.id !== body.baseRubricId) throw conflict('rubric.changedMeanwhile');
  const own = await db
    .selectFrom('quality_rubrics')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('organization_id', '=', scope.id)
    .executeTakeFirst();
  // Numbers keep rising along the path, so "version 3" never names two rubrics a branch has known.
  const version = Math.max(inForce.version, own?.version ?? 0) + 1;
  // The route's schema has checked the edit already; callers without that boundary (a seeding
  // command) get the same per-field refusal here.
  const parsed = parseRubric({ version, ...body.rubric });
  if (!parsed.ok)
    throw badRequest(
      'request.invalid',
      Object.fromEntries(Object.entries(parsed.fields).map(([path, code]) => [`rubric.${path}`, code])),
    );
  const rubric = parsed.rubric;
  const row = await db
    .insertInto('quality_rubrics')
    .values({
      organization_id: scope.id,
      version,
      rubric: JSON.stringify(rubric),
      note: body.note ?? null,
      created_by: principal.accountId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const requeued = await sql`
    insert into quality_recompute_queue (meeting_id, reason)
    select m.id, 'rubricPublished' from meetings m
    join organizations o on o.id = m.organization_id
    where m.status = 'held'
      and o.ancestry @> array[${scope.id}]::uuid[]
      and not exists (
        select 1 from quality_rubrics nearer
        where nearer.organization_id = any(o.ancestry)
          and array_position(o.ancestry, nearer.organization_id) > array_position(o.ancestry, ${scope.id}::uuid)
      )
    on conflict (meeting_id) do update set reason = excluded.reason
  `.execute(db);
  const count = Number(requeued.numAffectedRows ?? 0);
  await appendAudit(db, {
    ...actorOf(principal),
    action: 'rubric.published',
    organizationId: scope.id,
    details: { rubricId: row.id, version, requeued: count },
  });
  return { id: row.id, version, requeued: count };
}
