import { dispositionState } from '../../shared/domain/appraisal.ts';
import { excellentCap, unqualifiedReferral } from '../../shared/quality/appraisal-rules.ts';
import type { AppraisalReport, AppraisalSheet, SheetMember } from '../../shared/schemas/appraisal.ts';
import {
  type AppraisalState,
  appraisalCounts,
  currentOf,
  type DeterminationRow,
  isFeedbackCurrent,
} from './state.ts';

/** The appraisal as its readers see it: the branch committee's sheet and the report sent upward. */

const meetingRef = (state: AppraisalState) => ({
  id: state.meeting.id,
  title: state.meeting.title,
  type: state.meeting.type,
  startsAt: state.meeting.starts_at.toISOString(),
});

const decided = (row: DeterminationRow) => ({
  grade: row.grade,
  note: row.note,
  decidedAt: row.decided_at.toISOString(),
  decidedByName: row.decidedByName,
});

/**
 * The committee's determination sheet: each person with the ballot distribution on them (only
 * from a sealed ballot with at least k ballots, and only for those graded) beside the committee's
 * own choice, which stays empty until someone enters it.
 */
export function sheetView(state: AppraisalState): AppraisalSheet {
  const current = currentOf(state.history);
  const { ballot, thresholds } = state;
  const shown = ballot && ballot.tally.n >= thresholds.branchK ? ballot.tally : null;
  const counts = appraisalCounts(state);
  const members = state.people.map((person): SheetMember => {
    const determination = current.get(person.memberId);
    const feedback = state.feedback.get(person.memberId);
    const communicated = feedback
      ? state.history.get(person.memberId)?.find((d) => d.id === feedback.determination_id)
      : undefined;
    const distribution = person.notGraded ? null : (shown?.perMember.get(person.memberId) ?? null);
    const disposition = state.dispositions.get(person.memberId);
    return {
      memberId: person.memberId,
      name: person.name,
      status: person.status,
      notGraded: person.notGraded,
      distribution: distribution ? { ...distribution } : null,
      referral: !!distribution && unqualifiedReferral(distribution, thresholds.referral),
      determination: determination?.grade ? { ...decided(determination), grade: determination.grade } : null,
      history: (state.history.get(person.memberId) ?? []).map(decided),
      feedback:
        feedback && communicated?.grade
          ? {
              id: feedback.id,
              givenOn: feedback.given_on,
              method: feedback.method,
              note: feedback.note,
              grade: communicated.grade,
              current: isFeedbackCurrent(state, person.memberId, current),
              recordedByName: feedback.recordedByName,
            }
          : null,
      responses: (feedback ? (state.responses.get(feedback.id) ?? []) : []).map((r) => ({
        id: r.id,
        text: r.text,
        submittedAt: r.submitted_at.toISOString(),
        aboutGrade:
          state.history.get(person.memberId)?.find((d) => d.id === r.determination_id)?.grade ?? null,
      })),
      disposition: disposition
        ? {
            id: disposition.id,
            state: dispositionState({
              educationRecorded: disposition.education_started_on !== null,
              closed: disposition.outcome !== null,
            }),
          }
        : null,
    };
  });
  return {
    meeting: {
      ...meetingRef(state),
      status: state.meeting.status,
      organizationId: state.meeting.organization_id,
      organizationName: state.organizationName,
    },
    ballot: ballot
      ? {
          roundId: ballot.roundId,
          title: ballot.title,
          closedAt: ballot.closedAt.toISOString(),
          n: ballot.tally.n,
          k: thresholds.branchK,
          suppressed: !shown,
        }
      : null,
    rules: {
      fullMembers: counts.fullMembers,
      excellentCap: excellentCap(counts.fullMembers),
      excellent: counts.counts.excellent,
      excellentOverrideReason: state.record?.excellent_override_reason ?? null,
      referralEnabled: thresholds.referral,
    },
    blockedBy: state.blockedBy,
    members,
    lastReport: state.lastReport
      ? {
          submittedAt: state.lastReport.submittedAt.toISOString(),
          submittedByName: state.lastReport.submittedByName,
        }
      : null,
  };
}

/**
 * The report to the superior organization: determinations by name and counts. No ballot
 * distribution, no referral flag (it is read off the tallies), no feedback note or response text.
 * The one figure taken from the ballot — how many were cast — is withheld below the committee's k.
 */
export function reportOf(state: AppraisalState, now = new Date()): AppraisalReport {
  const current = currentOf(state.history);
  const counts = appraisalCounts(state);
  const cast = state.ballot?.tally.n;
  return {
    meeting: meetingRef(state),
    organization: { id: state.meeting.organization_id, name: state.organizationName },
    fullMembers: counts.fullMembers,
    probationaryNotGraded: counts.probationaryNotGraded,
    exemptNotGraded: counts.exemptNotGraded,
    counts: counts.counts,
    undetermined: counts.undetermined,
    excellentCap: excellentCap(counts.fullMembers),
    excellentOverrideReason: state.record?.excellent_override_reason ?? null,
    feedbackGiven: counts.feedbackGiven,
    membersResponded: counts.membersResponded,
    dispositionsOpen: counts.dispositionsOpen,
    dispositionsClosed: counts.dispositionsClosed,
    ballotsCast: cast === undefined ? null : protect(cast, state.thresholds.committeeK),
    determinations: state.people.flatMap((p) => {
      const grade = p.notGraded ? null : current.get(p.memberId)?.grade;
      return grade ? [{ name: p.name, grade }] : [];
    }),
    generatedAt: now.toISOString(),
  };
}

function protect(value: number, k: number): AppraisalReport['ballotsCast'] {
  return value >= k ? { suppressed: false, value } : { suppressed: true, k };
}

/**
 * A report sent earlier, shown under today's k: if the committee has since raised it, a figure that
 * was shown then is withheld now (a lowered k never brings back what was withheld).
 */
export function underCurrentK(report: AppraisalReport, k: number): AppraisalReport {
  const cast = report.ballotsCast;
  if (!cast || cast.suppressed) return report;
  return { ...report, ballotsCast: protect(cast.value, k) };
}
