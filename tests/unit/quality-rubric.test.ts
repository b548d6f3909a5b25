import { describe, expect, it } from 'vitest';
import { meetingTypes } from '../../shared/domain/enums.ts';
import { translate } from '../../shared/i18n/index.ts';
import { defaultRubric, gradeFor, parseRubric, type Rubric } from '../../shared/quality/rubric.ts';

/** A deep copy of the default rubric with one edit applied. */
function edited(edit: (r: Rubric) => void): unknown {
  const copy = structuredClone(defaultRubric);
  edit(copy);
  return copy;
}

function fieldsOf(input: unknown): Record<string, string> {
  const result = parseRubric(input);
  if (result.ok) throw new Error('expected the rubric to be refused');
  return result.fields;
}

describe('the default rubric (version 1)', () => {
  it('is valid under its own schema', () => {
    expect(parseRubric(defaultRubric)).toEqual({ ok: true, rubric: defaultRubric });
  });

  it('has the weights of QUALITY-INDEX.md, sub-metric weights adding up to their component', () => {
    const c = defaultRubric.components;
    expect([
      c.procedure.weight,
      c.satisfaction.weight,
      c.criticism.weight,
      c.appraisal.weight,
      c.rectification.weight,
    ]).toEqual([20, 30, 20, 10, 20]);
    expect(c.procedure.subWeights).toEqual({ attendance: 12, leaveDiscipline: 3, records: 5 });
    expect(c.criticism.subWeights).toEqual({ coverage: 7, specificity: 5, originality: 4, sourceVariety: 4 });
    expect(c.rectification.subWeights).toEqual({ wellFormed: 6, onTime: 10, followUpReview: 4 });
    for (const component of Object.values(c)) {
      const sum = Object.values<number>(component.subWeights).reduce((a, b) => a + b, 0);
      expect(sum).toBe(component.weight);
    }
  });

  it('applies C to 组织生活会, 民主生活会 and appraisals, and to a 党小组会 only when it held a criticism round', () => {
    expect(defaultRubric.components.criticism.appliesTo).toEqual({
      always: ['orgLifeMeeting', 'leadershipLifeMeeting', 'memberAppraisal'],
      whenRecorded: ['partyGroupMeeting'],
    });
    expect(defaultRubric.components.procedure.appliesTo.always).toEqual([...meetingTypes]);
    expect(defaultRubric.components.satisfaction.appliesTo.always).toEqual([...meetingTypes]);
  });

  it('has the gates, caps, grade cut-offs, k and branch-index settings of QUALITY-INDEX.md', () => {
    expect(defaultRubric.gates.quorum).toEqual({
      meetingTypes: ['branchGeneralMeeting', 'branchCommitteeMeeting'],
      cap: 59,
    });
    expect(defaultRubric.gates.preparation.cap).toBe(79);
    expect(defaultRubric.gates.satisfaction).toEqual({ needsAttentionBelow: 0.6, noTopGradesBelow: 0.9 });
    expect(defaultRubric.grades).toEqual({ average: 60, fairlyGood: 80, good: 90 });
    expect(defaultRubric.suppression).toEqual({ branchK: 3, committeeK: 5 });
    expect(defaultRubric.branchIndex.complianceWeight).toBe(0.3);
    expect(defaultRubric.branchIndex.mqiWeight).toBe(0.7);
    expect(defaultRubric.branchIndex.meetingTypeWeights).toMatchObject({
      orgLifeMeeting: 3,
      branchGeneralMeeting: 2,
      memberAppraisal: 2,
      partyLecture: 1,
    });
    expect(defaultRubric.compliance.frequencies).toMatchObject({
      branchCommitteeMeeting: 'monthly',
      branchGeneralMeeting: 'quarterly',
      partyGroupMeeting: 'monthly',
      partyLecture: 'quarterly',
      themedPartyDay: 'monthly',
      orgLifeMeeting: 'yearly',
      memberAppraisal: 'yearly',
    });
    expect(defaultRubric.appraisalRules.unqualifiedReferral).toBe(false);
  });
});

describe('grades', () => {
  it('reads ≥ 90 好, 80–89 较好, 60–79 一般, < 60 较差', () => {
    const g = (score: number) => gradeFor(score, defaultRubric.grades);
    expect([g(100), g(90), g(89), g(80), g(79), g(60), g(59), g(0)]).toEqual([
      'good',
      'good',
      'fairlyGood',
      'fairlyGood',
      'average',
      'average',
      'poor',
      'poor',
    ]);
  });
});

describe('rubric edits', () => {
  it('refuses negative weights', () => {
    expect(fieldsOf(edited((r) => (r.components.satisfaction.weight = -1)))).toEqual({
      'components.satisfaction.weight': 'tooSmall',
    });
  });

  it('refuses a rubric without any weighted component', () => {
    const fields = fieldsOf(
      edited((r) => {
        for (const component of Object.values(r.components)) component.weight = 0;
      }),
    );
    expect(fields.components).toBe('noPositiveWeight');
  });

  it('refuses a component whose sub-metrics all weigh nothing', () => {
    expect(
      fieldsOf(
        edited(
          (r) => (r.components.rectification.subWeights = { wellFormed: 0, onTime: 0, followUpReview: 0 }),
        ),
      ),
    ).toEqual({ 'components.rectification.subWeights': 'noPositiveWeight' });
  });

  it('refuses a meeting type that only satisfaction would score, since S can be dropped', () => {
    const fields = fieldsOf(edited((r) => (r.components.procedure.appliesTo.always = ['orgLifeMeeting'])));
    expect(fields['components.appliesTo.partyLecture']).toBe('meetingTypeNotCovered');
    expect(fields['components.appliesTo.orgLifeMeeting']).toBeUndefined();
  });

  it('refuses thresholds out of range or out of order', () => {
    expect(fieldsOf(edited((r) => (r.components.procedure.attendanceTarget = 1.2)))).toEqual({
      'components.procedure.attendanceTarget': 'tooLarge',
    });
    expect(fieldsOf(edited((r) => (r.components.procedure.attendanceFloor = 0.96)))).toEqual({
      'components.procedure.attendanceTarget': 'notAscending',
    });
    expect(fieldsOf(edited((r) => (r.gates.satisfaction.needsAttentionBelow = 0.95)))).toEqual({
      'gates.satisfaction.noTopGradesBelow': 'notAscending',
    });
    expect(fieldsOf(edited((r) => (r.grades.good = 80)))).toEqual({ 'grades.good': 'notAscending' });
    expect(fieldsOf(edited((r) => (r.gates.quorum.cap = 101)))).toEqual({ 'gates.quorum.cap': 'tooLarge' });
    expect(fieldsOf(edited((r) => (r.components.criticism.sourceTarget = 6)))).toEqual({
      'components.criticism.sourceTarget': 'tooLarge',
    });
  });

  it('refuses k below 3', () => {
    expect(fieldsOf(edited((r) => (r.suppression.branchK = 2)))).toEqual({
      'suppression.branchK': 'tooSmall',
    });
  });

  it('refuses a meeting type listed twice or in both applicability lists', () => {
    expect(
      fieldsOf(
        edited(
          (r) => (r.components.criticism.appliesTo.whenRecorded = ['partyGroupMeeting', 'orgLifeMeeting']),
        ),
      ),
    ).toEqual({ 'components.criticism.appliesTo.whenRecorded.1': 'duplicate' });
    expect(
      fieldsOf(
        edited((r) => (r.gates.quorum.meetingTypes = ['branchGeneralMeeting', 'branchGeneralMeeting'])),
      ),
    ).toEqual({ 'gates.quorum.meetingTypes.1': 'duplicate' });
  });

  it('refuses unknown fields, unknown frequencies and wrong types, naming each field', () => {
    const fields = fieldsOf({
      ...structuredClone(defaultRubric),
      extra: true,
      compliance: { frequencies: { ...defaultRubric.compliance.frequencies, partyLecture: 'weekly' } },
      grades: { ...defaultRubric.grades, good: '90' },
    });
    expect(fields).toEqual({
      extra: 'unknownField',
      'compliance.frequencies.partyLecture': 'invalidOption',
      'grades.good': 'invalidType',
    });
    expect(fieldsOf({ version: 2 })).toMatchObject({ components: 'required', gates: 'required' });
  });

  it('never throws on garbage in any field', () => {
    const paths: string[][] = [
      ['components', 'procedure', 'appliesTo'],
      ['components', 'criticism', 'countedSources'],
      ['components', 'procedure', 'subWeights'],
      ['gates', 'satisfaction'],
      ['branchIndex', 'meetingTypeWeights'],
      ['grades'],
    ];
    for (const path of paths) {
      for (const garbage of [null, 'x', 5, [], {}]) {
        const copy = structuredClone(defaultRubric) as unknown as Record<string, unknown>;
        let node = copy;
        for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
        node[path.at(-1)!] = garbage;
        expect(parseRubric(copy).ok, path.join('.')).toBe(false);
      }
    }
  });

  it('has a translation for every field code it can produce', () => {
    for (const code of ['notAscending', 'noPositiveWeight', 'meetingTypeNotCovered', 'duplicate']) {
      expect(translate('en', `validation.${code}`)).not.toBe(`validation.${code}`);
      expect(translate('zh-CN', `validation.${code}`)).not.toBe(`validation.${code}`);
    }
  });
});
