import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { issueSources, meetingTypes } from '../../shared/domain/enums.ts';
import { fieldErrorsFromZod } from '../../shared/errors.ts';
import { hasTranslation, translate } from '../../shared/i18n/index.ts';
import { computeMeetingQuality, type MeetingQualityInputs } from '../../shared/quality/mqi.ts';
import { defaultRubric, gradeFor, type Rubric } from '../../shared/quality/rubric.ts';

/** A plain, well-run 组织生活会 to vary one thing at a time. */
const base: MeetingQualityInputs = {
  meetingType: 'orgLifeMeeting',
  attendance: { expected: 20, exempt: 0, present: 18, excused: 2 },
  quorumMet: null,
  preparation: { study: true, talks: true, opinionSolicitation: true },
  minutes: { requiredFields: 10, filledFields: 10, hostSigned: true, recorderSigned: true, daysToLock: 2 },
  satisfaction: {
    present: 18,
    answers: 15,
    likertMeans: { themeFocus: 4, preparation: 4, candour: 4, problemSolving: 4, conduct: 4 },
    overall: { satisfied: 12, basicallySatisfied: 3, dissatisfied: 0 },
  },
  criticism: {
    covered: 18,
    items: 40,
    concreteAndLinked: 40,
    original: 40,
    sources: ['self', 'masses', 'peers'],
  },
  appraisal: null,
  rectification: {
    items: 4,
    wellFormed: 4,
    verifiedOnTime: 4,
    verifiedLate: 0,
    overdue: 0,
    previousItemsReviewed: true,
  },
};

function withRubric(edit: (r: Rubric) => void): Rubric {
  const rubric = structuredClone(defaultRubric);
  edit(rubric);
  return rubric;
}

const component = (inputs: MeetingQualityInputs, key: string, rubric = defaultRubric) =>
  computeMeetingQuality(inputs, rubric).components.find((c) => c.key === key)!;

function inputErrors(inputs: unknown): Record<string, string> {
  try {
    computeMeetingQuality(inputs as MeetingQualityInputs, defaultRubric);
  } catch (err) {
    if (err instanceof z.ZodError) return fieldErrorsFromZod(err.issues);
    throw err;
  }
  throw new Error('expected the inputs to be refused');
}

describe('meeting quality: inputs', () => {
  it('refuses counts that contradict each other, naming the field', () => {
    expect(
      inputErrors({ ...base, attendance: { expected: 20, exempt: 2, present: 19, excused: 0 } }),
    ).toEqual({
      'attendance.present': 'exceedsTotal',
    });
    expect(inputErrors({ ...base, criticism: { ...base.criticism!, covered: 19 } })).toEqual({
      'criticism.covered': 'exceedsTotal',
    });
    expect(
      inputErrors({
        ...base,
        satisfaction: {
          ...base.satisfaction,
          overall: { satisfied: 15, basicallySatisfied: 1, dissatisfied: 0 },
        },
      }),
    ).toEqual({ 'satisfaction.overall': 'exceedsTotal' });
    expect(
      inputErrors({ ...base, rectification: { ...base.rectification, verifiedOnTime: 3, overdue: 2 } }),
    ).toEqual({ 'rectification.overdue': 'exceedsTotal' });
  });

  it('refuses out-of-range values, unknown fields and repeated sources', () => {
    expect(
      inputErrors({ ...base, satisfaction: { ...base.satisfaction, likertMeans: { themeFocus: 6 } } }),
    ).toEqual({ 'satisfaction.likertMeans.themeFocus': 'tooLarge' });
    expect(inputErrors({ ...base, extra: 1 })).toEqual({ extra: 'unknownField' });
    expect(inputErrors({ ...base, criticism: { ...base.criticism!, sources: ['self', 'self'] } })).toEqual({
      'criticism.sources.1': 'duplicate',
    });
    expect(inputErrors({ ...base, meetingType: 'picnic' })).toEqual({ meetingType: 'invalidOption' });
  });
});

describe('meeting quality: which components count', () => {
  it('scores C at a 党小组会 only when it held a criticism round', () => {
    const groupMeeting = { ...base, meetingType: 'partyGroupMeeting' as const };
    expect(component(groupMeeting, 'criticism').status).toBe('scored');
    expect(component({ ...groupMeeting, criticism: null }, 'criticism').status).toBe('notRecorded');
    expect(
      component(
        groupMeeting,
        'criticism',
        withRubric((r) => (r.components.criticism.appliesTo.whenRecorded = [])),
      ).status,
    ).toBe('notForMeetingType');
  });

  it('scores a missing criticism round at a 组织生活会 as 0, keeping only the opinion-solicitation half', () => {
    const c = component({ ...base, criticism: null }, 'criticism');
    expect(c.status).toBe('scored');
    expect(c.subMetrics.map((m) => m.score)).toEqual([0, 0, 0, 0.5]);
    expect(c.score).toBeCloseTo((4 * 0.5) / 20, 12);
    const q = computeMeetingQuality({ ...base, criticism: null }, defaultRubric);
    expect(q.explanation).toContainEqual({ key: 'quality.explain.noCriticism', component: 'criticism' });
  });

  it('scores a 民主评议党员 meeting without an appraisal as 0 on E', () => {
    const e = component({ ...base, meetingType: 'memberAppraisal', appraisal: null }, 'appraisal');
    expect(e).toMatchObject({ status: 'scored', score: 0 });
  });

  it('counts E at another meeting only when it held an appraisal', () => {
    const appraisal = {
      selfAssessmentDone: true,
      peerAssessmentDone: false,
      eligibleVotersPresent: 18,
      ballotsCast: 18,
      fullMembers: 15,
      determinationsEntered: 15,
      feedbackGiven: 15,
      excellent: 5,
      excellentOverrideReasonRecorded: false,
      probationaryGraded: 0,
    };
    expect(component(base, 'appraisal').status).toBe('notRecorded');
    const e = component({ ...base, appraisal }, 'appraisal');
    expect(e.status).toBe('scored');
    expect(e.subMetrics.map((m) => m.score)).toEqual([0.5, 1, 1, 1, 1]);
    // A probationary member graded breaks the rules whatever the 优秀 count.
    expect(
      component({ ...base, appraisal: { ...appraisal, probationaryGraded: 1 } }, 'appraisal').subMetrics[4]!
        .score,
    ).toBe(0);
    // 6 优秀 of 15 exceeds ⌊15/3⌋ = 5: allowed only with a recorded reason.
    const over = { ...appraisal, excellent: 6 };
    expect(component({ ...base, appraisal: over }, 'appraisal').subMetrics[4]!.score).toBe(0);
    expect(
      component({ ...base, appraisal: { ...over, excellentOverrideReasonRecorded: true } }, 'appraisal')
        .subMetrics[4]!.score,
    ).toBe(1);
  });

  it('holds a 组织生活会 to account for producing no rectification items, and never calls that provisional', () => {
    const r = component(
      { ...base, rectification: { ...base.rectification, items: 0, wellFormed: 0, verifiedOnTime: 0 } },
      'rectification',
    );
    expect(r).toMatchObject({ status: 'scored', provisional: false });
    expect(r.subMetrics.map((m) => m.score)).toEqual([0, null, 1]);
    expect(r.score).toBeCloseTo(0.4, 12);
  });

  it('leaves a sub-metric with nothing to measure out and shares its weight', () => {
    const p = component(
      { ...base, attendance: { expected: 20, exempt: 0, present: 20, excused: 0 } },
      'procedure',
    );
    expect(p.subMetrics.map((m) => [m.key, m.applicable])).toEqual([
      ['attendance', true],
      ['leaveDiscipline', false],
      ['records', true],
    ]);
    expect(p.score).toBe(1);
    const late = component(
      {
        ...base,
        attendance: { expected: 20, exempt: 0, present: 20, excused: 0 },
        minutes: { ...base.minutes, daysToLock: 8 },
      },
      'procedure',
    );
    // records = (1 + 1 + 0)/3 over weights 12 + 5, not 20.
    expect(late.score).toBeCloseTo((12 + 5 * (2 / 3)) / 17, 12);
  });

  it('credits minutes locked on the deadline day, not after, and not while unlocked', () => {
    const records = (daysToLock: number | null) =>
      component({ ...base, minutes: { ...base.minutes, daysToLock } }, 'procedure').subMetrics[2]!.score;
    expect(records(7)).toBe(1);
    expect(records(7.5)).toBeCloseTo(2 / 3, 12);
    expect(records(null)).toBeCloseTo(2 / 3, 12);
    expect(
      computeMeetingQuality({ ...base, minutes: { ...base.minutes, daysToLock: null } }, defaultRubric)
        .explanation,
    ).toContainEqual({
      key: 'quality.explain.minutesNotFiled',
      params: { deadline: 7 },
      component: 'procedure',
    });
  });
});

describe('meeting quality: satisfaction', () => {
  const survey = (present: number, answers: number) => ({
    ...base.satisfaction,
    present,
    answers,
    overall: null,
  });

  it('needs max(k, ⌈present/2⌉) answers, with the committee’s k', () => {
    expect(component({ ...base, satisfaction: survey(10, 5) }, 'satisfaction').status).toBe('scored');
    expect(component({ ...base, satisfaction: survey(10, 4) }, 'satisfaction').status).toBe(
      'insufficientData',
    );
    expect(component({ ...base, satisfaction: survey(41, 20) }, 'satisfaction').status).toBe(
      'insufficientData',
    );
    expect(component({ ...base, satisfaction: survey(41, 21) }, 'satisfaction').status).toBe('scored');
    const strict = withRubric((r) => (r.suppression.committeeK = 8));
    expect(component({ ...base, satisfaction: survey(10, 7) }, 'satisfaction', strict).status).toBe(
      'insufficientData',
    );
  });

  it('maps the Likert mean from 1–5 onto 0–1', () => {
    const at = (mean: number) =>
      component(
        { ...base, satisfaction: { ...base.satisfaction, likertMeans: { a: mean, b: mean } } },
        'satisfaction',
      ).score;
    expect([at(1), at(3), at(5)]).toEqual([0, 0.5, 1]);
  });

  it('applies no satisfaction gate when the overall item was not asked', () => {
    const q = computeMeetingQuality(
      { ...base, satisfaction: { ...base.satisfaction, overall: null } },
      defaultRubric,
    );
    expect(q.caps).toEqual([]);
    expect(q.flags.needsAttention).toBe(false);
  });

  it('reads exactly 60% and 90% as meeting the thresholds', () => {
    const overall = (satisfied: number, dissatisfied: number) =>
      computeMeetingQuality(
        {
          ...base,
          satisfaction: {
            ...base.satisfaction,
            answers: 10,
            overall: { satisfied, basicallySatisfied: 0, dissatisfied },
          },
        },
        defaultRubric,
      );
    expect(overall(6, 4).flags.needsAttention).toBe(false);
    expect(overall(5, 5).flags.needsAttention).toBe(true);
    expect(overall(9, 1).caps).toEqual([]);
  });
});

describe('meeting quality: the result', () => {
  it('records the rubric version it was computed with', () => {
    const v2 = withRubric((r) => {
      r.version = 2;
      r.components.satisfaction.weight = 10;
    });
    expect(computeMeetingQuality(base, v2).rubricVersion).toBe(2);
    expect(computeMeetingQuality(base, v2).uncappedScore).not.toBeCloseTo(
      computeMeetingQuality(base, defaultRubric).uncappedScore!,
      6,
    );
  });

  it('rounds the exact score half up: 65.5 becomes 66 when no cap applies', () => {
    const q = computeMeetingQuality(
      {
        ...base,
        meetingType: 'branchGeneralMeeting',
        attendance: { expected: 22, exempt: 0, present: 10, excused: 6 },
        quorumMet: true,
        minutes: {
          requiredFields: 15,
          filledFields: 15,
          hostSigned: true,
          recorderSigned: true,
          daysToLock: 1,
        },
        satisfaction: {
          ...base.satisfaction,
          present: 10,
          answers: 9,
          likertMeans: { a: 4.5 },
          overall: null,
        },
        criticism: null,
        rectification: { ...base.rectification, items: 0, wellFormed: 0, verifiedOnTime: 0 },
      },
      defaultRubric,
    );
    expect(q.uncappedScore).toBeCloseTo(65.5, 9);
    expect(q.score).toBe(66);
  });

  it('returns no score, rather than a made-up one, when nothing could be scored', () => {
    // Only reachable with an unusual rubric: P scores attendance alone and everyone is exempt.
    const rubric = withRubric((r) => {
      r.components.procedure.subWeights = { attendance: 1, leaveDiscipline: 0, records: 0 };
    });
    const q = computeMeetingQuality(
      {
        ...base,
        meetingType: 'partyLecture',
        attendance: { expected: 3, exempt: 3, present: 0, excused: 0 },
        satisfaction: { ...base.satisfaction, present: 0, answers: 0, likertMeans: {}, overall: null },
        criticism: null,
        rectification: { ...base.rectification, items: 0, wellFormed: 0, verifiedOnTime: 0 },
      },
      rubric,
    );
    expect(q).toMatchObject({ score: null, grade: null, uncappedScore: null });
    expect(q.explanation.at(-1)).toEqual({ key: 'quality.explain.noScore' });
  });

  /** Any valid set of inputs, built so every count fits inside its total. */
  const anyInputs: fc.Arbitrary<MeetingQualityInputs> = fc
    .record({
      meetingType: fc.constantFrom(...meetingTypes),
      expected: fc.integer({ min: 0, max: 60 }),
      shares: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 16, maxLength: 16 }),
      flags: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
      quorum: fc.constantFrom(true, false, null),
      means: fc.array(fc.double({ min: 1, max: 5, noNaN: true }), { minLength: 0, maxLength: 6 }),
      sources: fc.subarray([...issueSources]),
      daysToLock: fc.option(fc.double({ min: 0, max: 30, noNaN: true })),
    })
    .map(({ meetingType, expected, shares, flags, quorum, means, sources, daysToLock }) => {
      const part = (i: number, whole: number) => Math.floor(shares[i]! * (whole + 1)) % (whole + 1);
      const exempt = part(0, expected);
      // Skewed towards well-attended, well-answered meetings so every gate and grade is reached.
      const present = expected - exempt - part(1, Math.floor((expected - exempt) / 2));
      const excused = part(2, expected - exempt - present);
      const answerable = present + part(3, 5);
      const answers = means.length === 0 ? 0 : answerable - part(4, Math.floor(answerable / 2));
      const satisfied = part(5, answers);
      const basicallySatisfied = part(6, answers - satisfied);
      const items = part(7, 80);
      const rectificationItems = part(8, 12);
      const onTime = part(9, rectificationItems);
      const late = part(10, rectificationItems - onTime);
      const fullMembers = part(11, expected);
      const entered = part(12, fullMembers);
      return {
        meetingType,
        attendance: { expected, exempt, present, excused },
        quorumMet: quorum,
        preparation: { study: flags[0]!, talks: flags[1]!, opinionSolicitation: flags[2]! },
        minutes: {
          requiredFields: 12,
          filledFields: part(13, 12),
          hostSigned: flags[3]!,
          recorderSigned: flags[4]!,
          daysToLock,
        },
        satisfaction: {
          present: answerable,
          answers,
          likertMeans: Object.fromEntries(means.map((m, i) => [`d${i}`, m])),
          overall: flags[5]
            ? { satisfied, basicallySatisfied, dissatisfied: answers - satisfied - basicallySatisfied }
            : null,
        },
        criticism: flags[6]
          ? {
              covered: part(14, present),
              items,
              concreteAndLinked: part(15, items),
              original: part(15, items),
              sources,
            }
          : null,
        appraisal: flags[7]
          ? {
              selfAssessmentDone: flags[8]!,
              peerAssessmentDone: flags[9]!,
              eligibleVotersPresent: present,
              ballotsCast: part(1, present),
              fullMembers,
              determinationsEntered: entered,
              feedbackGiven: part(2, entered),
              excellent: part(3, entered),
              excellentOverrideReasonRecorded: flags[10]!,
              probationaryGraded: part(4, 2),
            }
          : null,
        rectification: {
          items: rectificationItems,
          wellFormed: part(12, rectificationItems),
          verifiedOnTime: onTime,
          verifiedLate: late,
          overdue: part(11, rectificationItems - onTime - late),
          previousItemsReviewed: flags[11] ? flags[10]! : null,
        },
      };
    });

  it('always gives a whole score in 0–100 within every cap, the grade of that score, and translated lines', () => {
    fc.assert(
      fc.property(anyInputs, (inputs) => {
        const q = computeMeetingQuality(inputs, defaultRubric);
        // The default rubric always has P, which always has minutes to score.
        expect(Number.isInteger(q.score)).toBe(true);
        expect(q.score).toBeGreaterThanOrEqual(0);
        expect(q.score).toBeLessThanOrEqual(100);
        for (const cap of q.caps) expect(q.score).toBeLessThanOrEqual(cap.cap);
        expect(q.grade).toBe(gradeFor(q.score!, defaultRubric.grades));
        const shares = q.components.reduce((sum, c) => sum + c.share, 0);
        expect(shares).toBeCloseTo(1, 9);
        for (const c of q.components) if (c.score !== null) expect(c.score).toBeGreaterThanOrEqual(0);
        for (const c of q.components) if (c.score !== null) expect(c.score).toBeLessThanOrEqual(1);
        for (const line of q.explanation) {
          expect(hasTranslation(line.key), line.key).toBe(true);
          for (const locale of ['zh-CN', 'en'] as const) {
            expect(translate(locale, line.key, line.params), line.key).not.toMatch(/\{\w+\}/);
          }
        }
      }),
      { seed: 1126, numRuns: 500 },
    );
  });

  it('never flags procedure-invalid unless a decision meeting missed its quorum', () => {
    fc.assert(
      fc.property(anyInputs, (inputs) => {
        const q = computeMeetingQuality(inputs, defaultRubric);
        const decision =
          inputs.meetingType === 'branchGeneralMeeting' || inputs.meetingType === 'branchCommitteeMeeting';
        expect(q.flags.procedureInvalid).toBe(decision && inputs.quorumMet === false);
      }),
      { seed: 2026, numRuns: 300 },
    );
  });
});
