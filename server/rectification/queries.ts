import { sql } from 'kysely';
import {
  type EffectiveRectificationStatus,
  type EvidenceItem,
  effectiveRectificationStatuses,
  effectiveStatus,
  type RectificationEventDetails,
  timeliness,
} from '../../shared/domain/rectification.ts';
import type {
  EvidenceRow,
  ItemQuery,
  ItemSummary,
  MeetingRef,
  ProblemQuery,
  ProblemRow,
  RectificationEventRow,
} from '../../shared/schemas/rectification.ts';
import type { Db } from '../db/schema.ts';

/**
 * Read models of the feature: the branch's list (整改清单), the problem list, one item with its
 * evidence and history, and an owner's own items. Effective status (overdue) is computed here from
 * the pure function in shared/domain, against today's date in the branch's calendar.
 */

/** A meeting joined under an alias, as the four columns a MeetingRef needs (all null without one). */
function meetingColumns<A extends 'm' | 'rm'>(alias: A) {
  return [
    `${alias}.id as ${alias}Id`,
    `${alias}.title as ${alias}Title`,
    `${alias}.starts_at as ${alias}StartsAt`,
    `${alias}.type as ${alias}Type`,
  ] as const;
}

function meetingRef(
  id: string | null,
  title: string | null,
  startsAt: Date | null,
  type: MeetingRef['type'] | null,
): MeetingRef | null {
  return id && title !== null && startsAt && type
    ? { id, title, startsAt: startsAt.toISOString(), type }
    : null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function itemsQuery(db: Db) {
  return db
    .selectFrom('rectification_items as i')
    .innerJoin('problems as p', 'p.id', 'i.problem_id')
    .innerJoin('organizations as o', 'o.id', 'i.organization_id')
    .leftJoin('members as owner', 'owner.id', 'i.owner_member_id')
    .leftJoin('members as subject', 'subject.id', 'i.subject_member_id')
    .leftJoin('meetings as m', 'm.id', 'i.meeting_id')
    .leftJoin('meetings as rm', 'rm.id', 'i.reviewed_at_meeting_id')
    .selectAll('i')
    .select([
      'o.name as orgName',
      'p.description as problemDescription',
      'p.source as problemSource',
      'p.category as problemCategory',
      'owner.full_name as ownerName',
      'subject.full_name as subjectName',
      ...meetingColumns('m'),
      ...meetingColumns('rm'),
      sql<number>`jsonb_array_length(i.evidence)`.as('evidenceCount'),
    ]);
}

type ItemQueryRow = Awaited<ReturnType<ReturnType<typeof itemsQuery>['execute']>>[number];

function toSummary(r: ItemQueryRow, today: string): ItemSummary {
  const due = { status: r.status, dueOn: r.due_on };
  return {
    id: r.id,
    organization: { id: r.organization_id, name: r.orgName },
    problem: {
      id: r.problem_id,
      description: r.problemDescription,
      source: r.problemSource,
      category: r.problemCategory,
    },
    meeting: meetingRef(r.mId, r.mTitle, r.mStartsAt, r.mType),
    scope: r.scope,
    subject: r.subject_member_id && r.subjectName ? { id: r.subject_member_id, name: r.subjectName } : null,
    measures: r.measures,
    owner: r.owner_member_id && r.ownerName ? { id: r.owner_member_id, name: r.ownerName } : null,
    ownerUnit: r.owner_unit,
    dueOn: r.due_on,
    pledge: r.pledge,
    immediateFix: r.immediate_fix,
    status: r.status,
    effectiveStatus: effectiveStatus(due, today),
    timeliness: timeliness({ ...due, completedAt: r.completed_at }, today),
    completedAt: iso(r.completed_at),
    verifiedAt: iso(r.verified_at),
    publishedScope: r.published_scope,
    publishedAt: iso(r.published_at),
    reviewedAtMeeting: meetingRef(r.rmId, r.rmTitle, r.rmStartsAt, r.rmType),
    evidenceCount: r.evidenceCount,
    createdAt: r.created_at.toISOString(),
  };
}

function emptyCounts(): Record<EffectiveRectificationStatus, number> {
  return Object.fromEntries(effectiveRectificationStatuses.map((s) => [s, 0])) as Record<
    EffectiveRectificationStatus,
    number
  >;
}

/**
 * The branch's rectification list in the order items were opened. The status filter applies to
 * the effective status, so "overdue" and "planned" never overlap; the counts ignore it, so the
 * status chips show what each choice would give.
 */
export async function listItems(db: Db, organizationId: string, filters: ItemQuery, today: string) {
  let query = itemsQuery(db).where('i.organization_id', '=', organizationId);
  if (filters.meetingId) query = query.where('i.meeting_id', '=', filters.meetingId);
  if (filters.scope) query = query.where('i.scope', '=', filters.scope);
  if (filters.subjectMemberId) query = query.where('i.subject_member_id', '=', filters.subjectMemberId);
  if (filters.source) query = query.where('p.source', '=', filters.source);
  const rows = await query.orderBy('i.created_at').orderBy('i.id').execute();
  const all = rows.map((r) => toSummary(r, today));
  const counts = emptyCounts();
  for (const item of all) counts[item.effectiveStatus]++;
  const items = filters.status ? all.filter((i) => i.effectiveStatus === filters.status) : all;
  return { items, counts, today };
}

/** Open work first (overdue, then by due date), then what is done, then what was dropped. */
const ownerOrder: Record<EffectiveRectificationStatus, number> = {
  overdue: 0,
  inProgress: 1,
  planned: 1,
  completed: 2,
  verified: 3,
  cancelled: 4,
};

/** Items whose owner is the caller's current roster entry, in any branch. */
export async function listOwnItems(db: Db, accountId: string, today: string) {
  const rows = await itemsQuery(db)
    .where('owner.account_id', '=', accountId)
    .where('owner.left_at', 'is', null)
    .where('o.archived_at', 'is', null)
    .execute();
  const items = rows.map((r) => toSummary(r, today));
  items.sort(
    (a, b) =>
      ownerOrder[a.effectiveStatus] - ownerOrder[b.effectiveStatus] ||
      (a.dueOn ?? '9999').localeCompare(b.dueOn ?? '9999') ||
      a.createdAt.localeCompare(b.createdAt),
  );
  return { items, today };
}

export async function itemSummary(db: Db, itemId: string, today: string): Promise<ItemSummary> {
  return toSummary(await itemsQuery(db).where('i.id', '=', itemId).executeTakeFirstOrThrow(), today);
}

/** Evidence with its files' names and sizes, and who added it. */
export async function itemEvidence(db: Db, itemId: string, evidence: EvidenceItem[]): Promise<EvidenceRow[]> {
  const [files, people] = await Promise.all([
    db
      .selectFrom('rectification_attachments')
      .select(['id', 'file_name', 'content_type', 'size_bytes'])
      .where('item_id', '=', itemId)
      .execute(),
    accountNames(
      db,
      evidence.map((e) => e.addedBy),
    ),
  ]);
  const fileById = new Map(files.map((f) => [f.id, f]));
  return evidence.map((e) => {
    const file = e.attachmentId ? fileById.get(e.attachmentId) : undefined;
    return {
      id: e.id,
      description: e.description,
      link: e.link ?? null,
      file: file
        ? { id: file.id, name: file.file_name, contentType: file.content_type, sizeBytes: file.size_bytes }
        : null,
      addedAt: e.addedAt,
      addedBy: (e.addedBy && people.get(e.addedBy)) ?? null,
    };
  });
}

async function accountNames(db: Db, ids: ReadonlyArray<string | null | undefined>) {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (wanted.length === 0) return new Map<string, string>();
  const rows = await db
    .selectFrom('accounts')
    .select(['id', 'display_name'])
    .where('id', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/** The item's history, oldest first, with names rather than ids. */
export async function itemHistory(db: Db, itemId: string): Promise<RectificationEventRow[]> {
  const rows = await db
    .selectFrom('rectification_events as e')
    .leftJoin('accounts as a', 'a.id', 'e.by_account')
    .select([
      'e.id',
      'e.at',
      'a.display_name as by',
      'e.kind',
      'e.from_status',
      'e.to_status',
      'e.note',
      'e.details',
    ])
    .where('e.item_id', '=', itemId)
    .orderBy('e.at')
    .orderBy('e.id')
    .execute();
  const meetingIds = rows.flatMap((r) => {
    const details = r.details as RectificationEventDetails | null;
    return details && 'meetingId' in details && details.meetingId ? [details.meetingId] : [];
  });
  const meetings = meetingIds.length
    ? await db
        .selectFrom('meetings')
        .select(['id', 'title', 'starts_at', 'type'])
        .where('id', 'in', meetingIds)
        .execute()
    : [];
  const meetingById = new Map(meetings.map((m) => [m.id, m]));
  const meetingOf = (m: (typeof meetings)[number] | undefined) =>
    m ? meetingRef(m.id, m.title, m.starts_at, m.type) : null;
  return rows.map((r) => {
    const details = r.details as RectificationEventDetails | null;
    return {
      id: r.id,
      at: r.at.toISOString(),
      by: r.by,
      kind: r.kind,
      fromStatus: r.from_status,
      toStatus: r.to_status,
      note: r.note,
      ...(details && 'changes' in details ? { changes: details.changes } : {}),
      ...(details && 'description' in details ? { description: details.description } : {}),
      ...(details && 'scope' in details ? { scope: details.scope } : {}),
      ...(details && 'meetingId' in details
        ? { meeting: meetingOf(details.meetingId ? meetingById.get(details.meetingId) : undefined) }
        : {}),
    };
  });
}

export async function verifierName(db: Db, accountId: string | null): Promise<string | null> {
  if (!accountId) return null;
  return (await accountNames(db, [accountId])).get(accountId) ?? null;
}

/** The branch's problems (查摆问题) with their items' effective statuses. */
export async function listProblems(
  db: Db,
  organizationId: string,
  filters: ProblemQuery,
  today: string,
): Promise<ProblemRow[]> {
  let query = db
    .selectFrom('problems as p')
    .leftJoin('members as subject', 'subject.id', 'p.subject_member_id')
    .leftJoin('meetings as m', 'm.id', 'p.meeting_id')
    .selectAll('p')
    .select(['subject.full_name as subjectName', ...meetingColumns('m')])
    .where('p.organization_id', '=', organizationId);
  if (filters.meetingId) query = query.where('p.meeting_id', '=', filters.meetingId);
  if (filters.scope) query = query.where('p.scope', '=', filters.scope);
  if (filters.subjectMemberId) query = query.where('p.subject_member_id', '=', filters.subjectMemberId);
  if (filters.source) query = query.where('p.source', '=', filters.source);
  const problems = await query.orderBy('p.created_at').orderBy('p.id').execute();
  const items = problems.length
    ? await db
        .selectFrom('rectification_items')
        .select(['id', 'problem_id', 'measures', 'status', 'due_on'])
        .where(
          'problem_id',
          'in',
          problems.map((p) => p.id),
        )
        .orderBy('created_at')
        .execute()
    : [];
  return problems.map((p) => {
    const own = items.filter((i) => i.problem_id === p.id);
    return {
      id: p.id,
      organizationId: p.organization_id,
      meeting: meetingRef(p.mId, p.mTitle, p.mStartsAt, p.mType),
      scope: p.scope,
      subject: p.subject_member_id && p.subjectName ? { id: p.subject_member_id, name: p.subjectName } : null,
      description: p.description,
      source: p.source,
      category: p.category,
      originKind: p.origin_kind,
      createdAt: p.created_at.toISOString(),
      items: own.map((i) => ({
        id: i.id,
        measures: i.measures,
        effectiveStatus: effectiveStatus({ status: i.status, dueOn: i.due_on }, today),
      })),
      locked: own.some((i) => i.status === 'verified'),
    };
  });
}

/** The people and meetings the forms and filters offer: the current roster and the branch's meetings. */
export async function rectificationChoices(db: Db, organizationId: string) {
  const [members, meetings] = await Promise.all([
    db
      .selectFrom('members')
      .select(['id', 'full_name'])
      .where('organization_id', '=', organizationId)
      .where('left_at', 'is', null)
      .orderBy(sql`committee_role is null`)
      .orderBy('full_name')
      .execute(),
    db
      .selectFrom('meetings')
      .select(['id', 'title', 'starts_at', 'type', 'status'])
      .where('organization_id', '=', organizationId)
      .orderBy('starts_at', 'desc')
      .execute(),
  ]);
  return {
    members: members.map((m) => ({ id: m.id, name: m.full_name })),
    meetings: meetings.map((m) => ({
      id: m.id,
      title: m.title,
      startsAt: m.starts_at.toISOString(),
      type: m.type,
      status: m.status,
    })),
  };
}

/**
 * Each organization's overdue items: how many, and the `few` most overdue (earliest due date first).
 * The SQL states effectiveStatus's overdue rule (open and due before today) so that a committee
 * with many branches counts in the database rather than loading every item.
 */
export async function overdueByOrganization(
  db: Db,
  organizationIds: readonly string[],
  today: string,
  few: number,
): Promise<Map<string, { count: number; items: ItemSummary[] }>> {
  const result = new Map<string, { count: number; items: ItemSummary[] }>();
  if (organizationIds.length === 0) return result;
  const ranked = await db
    .selectFrom(
      db
        .selectFrom('rectification_items')
        .select([
          'id',
          'organization_id',
          sql<number>`row_number() over (partition by organization_id order by due_on, created_at, id)`.as(
            'rank',
          ),
          sql<string>`count(*) over (partition by organization_id)`.as('total'),
        ])
        .where('organization_id', 'in', organizationIds)
        .where('status', 'in', ['planned', 'inProgress'])
        .where('due_on', '<', today)
        .as('r'),
    )
    .select(['id', 'organization_id', 'total'])
    .where('rank', '<=', few)
    .execute();
  if (ranked.length === 0) return result;
  const rows = await itemsQuery(db)
    .where(
      'i.id',
      'in',
      ranked.map((r) => r.id),
    )
    .orderBy('i.due_on')
    .orderBy('i.created_at')
    .orderBy('i.id')
    .execute();
  for (const r of ranked) result.set(r.organization_id, { count: Number(r.total), items: [] });
  for (const row of rows) result.get(row.organization_id)!.items.push(toSummary(row, today));
  return result;
}
