import { sql } from 'kysely';
import type { Locale } from '../../shared/domain/enums.ts';
import { translate } from '../../shared/i18n/index.ts';
import type { ExplanationLine } from '../../shared/quality/explanation.ts';
import type { AppliedCap, ComponentResult } from '../../shared/quality/mqi.ts';
import { originalityFlag } from '../../shared/quality/originality.ts';
import type { QualityGrade } from '../../shared/quality/rubric.ts';
import type {
  ExplanationLineView,
  MeetingQualityView,
  OriginalityView,
  ScoreFlags,
} from '../../shared/schemas/quality.ts';
import type { OrganizationScope } from '../access/principal.ts';
import type { Db } from '../db/schema.ts';
import type { MeetingCapabilities, MeetingRow } from '../meetings/access.ts';
import { missingMinutesFields } from './inputs.ts';
import { meetingTexts, originalityOf } from './originality.ts';
import { effectiveRubric } from './rubrics.ts';

/** Stored explanation lines with their text in the reader's language. */
function translated(lines: readonly ExplanationLine[], locale: Locale): ExplanationLineView[] {
  return lines.map((line) => ({ ...line, text: translate(locale, line.key, line.params) }));
}

/** The meeting's current score with everything that explains it, and the values it had before. */
export async function meetingQualityView(
  db: Db,
  meeting: MeetingRow,
  scope: OrganizationScope,
  capabilities: MeetingCapabilities,
  locale: Locale,
): Promise<MeetingQualityView> {
  const rows = await db
    .selectFrom('meeting_quality_scores as s')
    .innerJoin('quality_rubrics as r', 'r.id', 's.rubric_id')
    .leftJoin('organizations as o', 'o.id', 'r.organization_id')
    .select([
      's.id',
      's.score',
      's.grade',
      's.uncapped_score',
      's.components',
      's.flags',
      's.caps',
      's.explanation',
      's.reason',
      's.computed_at',
      's.superseded_at',
      's.rubric_id',
      'r.version',
      'o.name as rubricOrganization',
    ])
    .where('s.meeting_id', '=', meeting.id)
    // The current row first, then each earlier value by when it was replaced.
    .orderBy(sql`s.superseded_at desc nulls first`)
    .orderBy('s.computed_at', 'desc')
    .execute();
  const queued = await db
    .selectFrom('quality_recompute_queue')
    .select('meeting_id')
    .where('meeting_id', '=', meeting.id)
    .executeTakeFirst();
  const summary = (row: (typeof rows)[number]) => ({
    id: row.id,
    score: row.score,
    grade: row.grade as QualityGrade | null,
    flags: row.flags as unknown as ScoreFlags,
    rubric: { id: row.rubric_id, version: row.version, organizationName: row.rubricOrganization },
    reason: row.reason,
    computedAt: row.computed_at.toISOString(),
  });
  const current = rows.find((r) => r.superseded_at === null);
  return {
    meetingId: meeting.id,
    title: meeting.title,
    type: meeting.type,
    status: meeting.status,
    startsAt: meeting.starts_at.toISOString(),
    organizationId: scope.id,
    organizationName: scope.name,
    current: current
      ? {
          ...summary(current),
          uncappedScore: current.uncapped_score,
          components: current.components as ComponentResult[],
          caps: current.caps as AppliedCap[],
          explanation: translated(current.explanation as ExplanationLine[], locale),
        }
      : null,
    history: rows
      .filter((r) => r.superseded_at !== null)
      .map((r) => ({ ...summary(r), supersededAt: r.superseded_at!.toISOString() })),
    pending: !!queued,
    missingMinutesFields: meeting.status === 'cancelled' ? [] : await missingMinutesFields(db, meeting),
    me: { canSeeOriginality: mayReviewTexts(capabilities) },
  };
}

/**
 * Who sees the texts behind the originality measure: the meeting's recorder and host, and the
 * branch committee that runs its minutes. Superiors read the measure (a count in the explanation),
 * never the criticism itself.
 */
export function mayReviewTexts(capabilities: MeetingCapabilities): boolean {
  return capabilities.canRecord || capabilities.isHost;
}

/** Each recorded criticism item and self-examination with its near-duplicate flag, flagged first. */
export async function originalityView(
  db: Db,
  meeting: MeetingRow,
  scope: OrganizationScope,
  locale: Locale,
): Promise<OriginalityView> {
  const { rubric } = await effectiveRubric(db, scope.ancestry);
  const texts = await meetingTexts(db, meeting.id);
  const { flags, compared } = await originalityOf(
    db,
    { id: meeting.id, organizationId: meeting.organization_id, startsAt: meeting.starts_at },
    texts,
    rubric,
  );
  const items = texts.map((t) => {
    const flag = flags.get(t.id) ?? null;
    return {
      id: t.id,
      kind: t.kind,
      subjectName: t.subjectName,
      text: t.text,
      match: flag && {
        similarity: flag.similarity,
        date: flag.date,
        sameMeeting: flag.sameMeeting,
        line: translated([originalityFlag(flag)], locale)[0]!,
      },
    };
  });
  return {
    threshold: rubric.components.criticism.nearDuplicateSimilarity,
    lookbackYears: rubric.components.criticism.lookbackYears,
    compared,
    // Stable sort: flagged first, each group in the record's order.
    items: [...items.filter((i) => i.match), ...items.filter((i) => !i.match)],
  };
}
