import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeAndStore } from '../../server/quality/scores.ts';
import { insertHeldMeeting, insertSealedBallot } from '../support/appraisal-fixtures.ts';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { type SeededCommittee, seedCommittee } from '../support/fixtures.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The committee's determinations and feedback feed the quality index's appraisal component (E):
 * entering them queues the meeting, and the recomputed score counts them.
 */
for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: appraisal determinations in the quality index`, () => {
    let t: TestApp;
    let w: SeededCommittee;
    beforeAll(async () => {
      t = await startTestApp(variant);
      w = await seedCommittee(t.db, 4);
    });
    afterAll(() => t.close());

    it('counts determinations and feedback, and queues the meeting when they change', async () => {
      const full = [w.secretaryA, ...w.membersA];
      const meetingId = await insertHeldMeeting(
        t.db,
        w.branchA.id,
        [...full, w.probationaryA].map((m) => m.memberId),
      );
      const graded = full.map((m) => m.memberId);
      await insertSealedBallot(
        t.db,
        meetingId,
        graded,
        full.map(() => Object.fromEntries(graded.map((id) => [id, 'qualified' as const]))),
      );
      const appraisalInputs = async () => {
        await computeAndStore(t.db, meetingId, 'sweep');
        const row = await t.db
          .selectFrom('meeting_quality_scores')
          .select('inputs')
          .where('meeting_id', '=', meetingId)
          .where('superseded_at', 'is', null)
          .executeTakeFirstOrThrow();
        return (row.inputs as { appraisal: Record<string, unknown> }).appraisal;
      };
      expect(await appraisalInputs()).toMatchObject({
        ballotsCast: 5,
        fullMembers: 5,
        determinationsEntered: 0,
      });

      const secretary = await t.client().signIn('secA');
      const saved = await secretary.put(`/api/meetings/${meetingId}/appraisal/determinations`, {
        determinations: full.map((m, i) => ({
          memberId: m.memberId,
          grade: i === 0 ? 'excellent' : 'qualified',
        })),
      });
      expect(saved.status).toBe(200);
      const queued = await t.db
        .selectFrom('quality_recompute_queue')
        .select('reason')
        .where('meeting_id', '=', meetingId)
        .execute();
      expect(queued).toEqual([{ reason: 'appraisalDetermination' }]);

      const today = new Date().toISOString().slice(0, 10);
      expect(
        (
          await secretary.put(
            `/api/meetings/${meetingId}/appraisal/members/${w.membersA[0]!.memberId}/feedback`,
            {
              givenOn: today,
              method: 'talk',
            },
          )
        ).status,
      ).toBe(200);
      expect(await appraisalInputs()).toMatchObject({
        determinationsEntered: 5,
        feedbackGiven: 1,
        excellent: 1,
        probationaryGraded: 0,
      });
    });
  });
}
