import { describe, expect, it } from 'vitest';
import { checkBallot } from '../../shared/domain/ballot-rules.ts';
import {
  appraisalResults,
  likertMean,
  normalizeWord,
  pollResults,
  surveyResults,
  tallyAppraisal,
  tallyPoll,
  tallySurvey,
} from '../../shared/domain/live-tallies.ts';
import { defaultSurveyInstrument } from '../../shared/domain/survey.ts';

const likert = (v: number) => ({ themeFocus: v, preparation: v, candour: v, problemSolving: v, conduct: v });

describe('tallies and the small-group threshold', () => {
  it('tallies a survey and shows it only from k responses, comments only to the committee', () => {
    const ballots = [
      { kind: 'survey' as const, likert: likert(5), overall: 'satisfied' as const, comment: '好' },
      { kind: 'survey' as const, likert: likert(4), overall: 'satisfied' as const },
      { kind: 'survey' as const, likert: { ...likert(1), candour: 2 }, overall: 'dissatisfied' as const },
    ];
    const tally = tallySurvey(defaultSurveyInstrument, ballots);
    expect(surveyResults(tally, 4, true)).toEqual({ suppressed: true, n: 3, k: 4 });
    const shown = surveyResults(tally, 3, true);
    expect(shown).toMatchObject({
      suppressed: false,
      n: 3,
      overall: { satisfied: 2, basicallySatisfied: 0, dissatisfied: 1 },
    });
    if (shown.suppressed) throw new Error('unreachable');
    expect(shown.likert.find((l) => l.key === 'candour')).toEqual({
      key: 'candour',
      mean: 3.67,
      distribution: [0, 1, 0, 1, 1],
    });
    expect(shown.comments).toEqual(['好']);
    expect(surveyResults(tally, 3, false)).not.toHaveProperty('comments');
  });

  it('computes a Likert mean to two decimals and 0 for nothing', () => {
    expect(likertMean([1, 0, 0, 0, 2])).toBe(3.67);
    expect(likertMean([0, 0, 0, 0, 0])).toBe(0);
  });

  it('tallies appraisal grades per graded member and ignores anyone else', () => {
    const tally = tallyAppraisal(
      ['a', 'b'],
      [
        { kind: 'appraisal', grades: { a: 'excellent', b: 'qualified' } },
        { kind: 'appraisal', grades: { a: 'excellent', b: 'unqualified', c: 'excellent' } },
        { kind: 'appraisal', grades: { a: 'basicallyQualified', b: 'qualified' } },
      ],
    );
    const results = appraisalResults(tally, 3, new Map([['a', '甲']]));
    expect(results).toEqual({
      suppressed: false,
      n: 3,
      perMember: [
        {
          memberId: 'a',
          name: '甲',
          counts: { excellent: 2, qualified: 0, basicallyQualified: 1, unqualified: 0 },
        },
        {
          memberId: 'b',
          name: '',
          counts: { excellent: 0, qualified: 2, basicallyQualified: 0, unqualified: 1 },
        },
      ],
    });
    expect(appraisalResults(tally, 4, new Map())).toEqual({ suppressed: true, n: 3, k: 4 });
  });

  it('counts poll choices once per ballot and folds words by case and width', () => {
    const tally = tallyPoll(3, [
      { kind: 'poll', choices: [0, 0, 2] },
      { kind: 'poll', choices: [2] },
      { kind: 'poll', words: ['Ｔeam', 'team ', '务实'] },
      { kind: 'poll', words: ['务实'] },
    ]);
    expect(pollResults(tally, 3)).toEqual({
      suppressed: false,
      n: 4,
      counts: [1, 0, 2],
      words: [
        { word: '务实', count: 2 },
        { word: 'team', count: 1 },
      ],
    });
    expect(normalizeWord(' ＡＢ  c ')).toBe('ab c');
  });
});

describe('ballot completeness', () => {
  const survey = { kind: 'survey' as const };
  it('accepts a complete survey and names every missing or unknown item', () => {
    const full = { kind: 'survey' as const, likert: likert(3), overall: 'satisfied' as const };
    expect(checkBallot(survey, defaultSurveyInstrument, full)).toBeNull();
    const { conduct: _c, ...partial } = likert(3);
    expect(checkBallot(survey, defaultSurveyInstrument, { kind: 'survey', likert: partial })).toEqual({
      code: 'ballot.incomplete',
      fields: { 'answers.likert.conduct': 'required', 'answers.overall': 'required' },
    });
    expect(
      checkBallot(survey, defaultSurveyInstrument, { ...full, likert: { ...likert(3), mood: 2 } }),
    ).toEqual({
      code: 'ballot.unknownItem',
      fields: { 'answers.likert.mood': 'unknownField' },
    });
    expect(
      checkBallot(survey, { ...defaultSurveyInstrument, comment: false }, { ...full, comment: '不该有' }),
    ).toMatchObject({ code: 'ballot.commentNotAsked' });
  });

  it('requires a grade for every graded member, the voter included, and for nobody else', () => {
    const config = { kind: 'appraisal' as const, graded: ['a', 'b'] };
    expect(
      checkBallot(config, undefined, { kind: 'appraisal', grades: { a: 'qualified', b: 'excellent' } }),
    ).toBeNull();
    expect(checkBallot(config, undefined, { kind: 'appraisal', grades: { a: 'qualified' } })).toEqual({
      code: 'ballot.missingGrade',
      fields: { 'answers.grades.b': 'required' },
    });
    expect(
      checkBallot(config, undefined, {
        kind: 'appraisal',
        grades: { a: 'qualified', b: 'qualified', p: 'excellent' },
      }),
    ).toEqual({ code: 'ballot.gradeForNonGraded', fields: { 'answers.grades.p': 'invalidOption' } });
  });

  it('checks poll choices against the mode and the options', () => {
    const single = { kind: 'poll' as const, question: '?', mode: 'single' as const, options: ['a', 'b'] };
    const multiple = { ...single, mode: 'multiple' as const };
    const cloud = { kind: 'poll' as const, question: '?', mode: 'wordCloud' as const, options: [] };
    expect(checkBallot(single, undefined, { kind: 'poll', choices: [1] })).toBeNull();
    expect(checkBallot(single, undefined, { kind: 'poll', choices: [0, 1] })?.fields).toEqual({
      'answers.choices': 'tooLong',
    });
    expect(checkBallot(single, undefined, { kind: 'poll', choices: [2] })?.fields).toEqual({
      'answers.choices': 'invalidOption',
    });
    expect(checkBallot(multiple, undefined, { kind: 'poll', choices: [1, 1] })?.fields).toEqual({
      'answers.choices': 'duplicate',
    });
    expect(checkBallot(multiple, undefined, { kind: 'poll', choices: [] })?.fields).toEqual({
      'answers.choices': 'required',
    });
    expect(checkBallot(cloud, undefined, { kind: 'poll', words: ['好'] })).toBeNull();
    expect(checkBallot(cloud, undefined, { kind: 'poll', choices: [0] })?.code).toBe('ballot.invalidChoice');
    expect(checkBallot(single, undefined, { kind: 'survey', likert: {} })?.code).toBe('ballot.wrongKind');
  });
});
