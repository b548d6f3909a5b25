import { type Kysely, sql } from 'kysely';
import type { AppraisalListRow, ReportResponse } from '../../shared/schemas/appraisal.ts';
import { can, type OrganizationScope, type Principal } from '../access/principal.ts';
import { actorOf, appendAudit } from '../audit/audit-log.ts';
import type { DB, Db } from '../db/schema.ts';
import { conflict } from '../http/errors.ts';
import type { ResultsCache } from '../live/results.ts';
import type { MeetingRow } from '../meetings/access.ts';
import { lockRecord } from './determinations.ts';
import { appraisalCounts, loadAppraisal, thresholdsFor } from './state.ts';
import { reportOf, underCurrentK } from './views.ts';

/**
 * 报告上级: the branch committee sends the report when every full member has a determination; each
 * sending is kept as it was sent, and the superior organization reads the latest one.
 */

async function lastSubmitted(db: Db, meetingId: string) {
  return db
    .selectFrom('appraisal_reports as r')
    .innerJoin('appraisal_records as rec', 'rec.id', 'r.record_id')
    .leftJoin('accounts as a', 'a.id', 'r.submitted_by')
    .select(['r.report', 'r.submitted_at', 'a.display_name'])
    .where('rec.meeting_id', '=', meetingId)
    .orderBy('r.submitted_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** What a reader of the report may see: the sent report for all; the draft for the branch committee. */
export async function reportResponse(
  db: Db,
  principal: Principal,
  meeting: MeetingRow,
  scope: OrganizationScope,
  results: ResultsCache,
): Promise<ReportResponse> {
  const manages = can(principal, 'appraisal.manage', scope.ancestry);
  const [state, sent, thresholds] = await Promise.all([
    manages ? loadAppraisal(db, meeting, results) : undefined,
    lastSubmitted(db, meeting.id),
    thresholdsFor(db, scope.ancestry),
  ]);
  const current = state ? reportOf(state) : null;
  return {
    current,
    submitted: sent
      ? {
          report: underCurrentK(sent.report, thresholds.committeeK),
          submittedAt: sent.submitted_at.toISOString(),
          submittedByName: sent.display_name,
        }
      : null,
    canSubmit: !!state && !state.blockedBy && current!.undetermined === 0,
  };
}

export async function submitReport(
  db: Kysely<DB>,
  meeting: MeetingRow,
  principal: Principal,
  results: ResultsCache,
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const record = await lockRecord(trx, meeting);
    const state = await loadAppraisal(trx, meeting, results);
    if (state.blockedBy) throw conflict(state.blockedBy);
    const report = reportOf(state);
    if (report.undetermined > 0) throw conflict('appraisal.determinationsIncomplete');
    const row = await trx
      .insertInto('appraisal_reports')
      .values({
        record_id: record.id,
        report: JSON.stringify(report),
        submitted_by: principal.accountId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      ...actorOf(principal),
      action: 'appraisal.reported',
      organizationId: meeting.organization_id,
      meetingId: meeting.id,
      details: { reportId: row.id },
    });
    return row.id;
  });
}

/**
 * Appraisal meetings in an organization's subtree, newest first, with when each was reported; the
 * branch committee also sees its own progress (the superior reads the reports themselves).
 */
export async function listAppraisals(
  db: Db,
  principal: Principal,
  scope: OrganizationScope,
  results: ResultsCache,
): Promise<AppraisalListRow[]> {
  const meetings = await db
    .selectFrom('meetings as m')
    .innerJoin('organizations as o', 'o.id', 'm.organization_id')
    .selectAll('m')
    .select(['o.name as organizationName', 'o.ancestry'])
    .select((eb) =>
      eb
        .selectFrom('appraisal_reports as r')
        .innerJoin('appraisal_records as rec', 'rec.id', 'r.record_id')
        .select((e) => e.fn.max('r.submitted_at').as('at'))
        .whereRef('rec.meeting_id', '=', 'm.id')
        .as('reportedAt'),
    )
    .where(sql<boolean>`o.ancestry @> array[${scope.id}]::uuid[]`)
    .where('o.archived_at', 'is', null)
    .where('m.status', '!=', 'cancelled')
    .where((eb) =>
      eb.or([
        eb('m.type', '=', 'memberAppraisal'),
        eb('m.includes_appraisal', '=', true),
        eb.exists(
          eb
            .selectFrom('rounds as rd')
            .select('rd.id')
            .whereRef('rd.meeting_id', '=', 'm.id')
            .where('rd.kind', '=', 'appraisal'),
        ),
      ]),
    )
    .orderBy('m.starts_at', 'desc')
    .limit(500)
    .execute();
  return Promise.all(
    meetings.map(async ({ organizationName, ancestry, reportedAt, ...meeting }) => {
      const counts = can(principal, 'appraisal.manage', ancestry)
        ? appraisalCounts(await loadAppraisal(db, meeting, results))
        : null;
      return {
        meeting: {
          id: meeting.id,
          title: meeting.title,
          type: meeting.type,
          startsAt: meeting.starts_at.toISOString(),
          status: meeting.status,
        },
        organization: { id: meeting.organization_id, name: organizationName },
        reportedAt: reportedAt ? new Date(reportedAt).toISOString() : null,
        progress: counts && {
          fullMembers: counts.fullMembers,
          determined: counts.determined,
          feedbackGiven: counts.feedbackGiven,
          membersResponded: counts.membersResponded,
          dispositionsOpen: counts.dispositionsOpen,
        },
      };
    }),
  );
}
