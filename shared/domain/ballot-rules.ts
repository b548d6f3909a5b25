import type { BallotAnswers, StoredRoundConfig, SurveyInstrument } from '../schemas/rounds.ts';

/**
 * What makes a ballot complete for its round, beyond its JSON shape: every question of the
 * instrument answered, every graded member graded (the voter included — a ballot skipping its own
 * row would identify the voter), poll choices that exist. Pure, so the phone can check before it
 * sends and the server checks again before it stores.
 */
export interface BallotProblem {
  code: string;
  fields: Record<string, string>;
}

export function checkBallot(
  config: StoredRoundConfig,
  instrument: SurveyInstrument | undefined,
  answers: BallotAnswers,
): BallotProblem | null {
  if (answers.kind !== config.kind)
    return { code: 'ballot.wrongKind', fields: { 'answers.kind': 'invalidOption' } };
  switch (answers.kind) {
    case 'survey':
      return instrument ? checkSurvey(instrument, answers) : null;
    case 'appraisal':
      return checkAppraisal(config.graded ?? [], answers.grades);
    case 'poll':
      return config.kind === 'poll' ? checkPoll(config, answers) : null;
  }
}

function checkSurvey(
  instrument: SurveyInstrument,
  answers: Extract<BallotAnswers, { kind: 'survey' }>,
): BallotProblem | null {
  const keys = new Set(instrument.likert.map((i) => i.key));
  const unknown: Record<string, string> = {};
  for (const key of Object.keys(answers.likert))
    if (!keys.has(key)) unknown[`answers.likert.${key}`] = 'unknownField';
  if (answers.overall !== undefined && !instrument.overall) unknown['answers.overall'] = 'unknownField';
  if (Object.keys(unknown).length > 0) return { code: 'ballot.unknownItem', fields: unknown };
  if (answers.comment && !instrument.comment)
    return { code: 'ballot.commentNotAsked', fields: { 'answers.comment': 'unknownField' } };
  const missing: Record<string, string> = {};
  for (const key of keys)
    if (answers.likert[key] === undefined) missing[`answers.likert.${key}`] = 'required';
  if (instrument.overall && answers.overall === undefined) missing['answers.overall'] = 'required';
  return Object.keys(missing).length > 0 ? { code: 'ballot.incomplete', fields: missing } : null;
}

function checkAppraisal(graded: readonly string[], grades: Record<string, string>): BallotProblem | null {
  const gradedSet = new Set(graded);
  const extra: Record<string, string> = {};
  for (const memberId of Object.keys(grades))
    if (!gradedSet.has(memberId)) extra[`answers.grades.${memberId}`] = 'invalidOption';
  if (Object.keys(extra).length > 0) return { code: 'ballot.gradeForNonGraded', fields: extra };
  const missing: Record<string, string> = {};
  for (const memberId of graded)
    if (grades[memberId] === undefined) missing[`answers.grades.${memberId}`] = 'required';
  return Object.keys(missing).length > 0 ? { code: 'ballot.missingGrade', fields: missing } : null;
}

function checkPoll(
  config: Extract<StoredRoundConfig, { kind: 'poll' }>,
  answers: Extract<BallotAnswers, { kind: 'poll' }>,
): BallotProblem | null {
  const choices = answers.choices ?? [];
  const words = answers.words ?? [];
  const invalid = (field: string, code: string): BallotProblem => ({
    code: 'ballot.invalidChoice',
    fields: { [`answers.${field}`]: code },
  });
  if (config.mode === 'wordCloud') {
    if (choices.length > 0) return invalid('choices', 'unknownField');
    if (words.length === 0) return invalid('words', 'required');
    return null;
  }
  if (words.length > 0) return invalid('words', 'unknownField');
  if (choices.length === 0) return invalid('choices', 'required');
  if (config.mode === 'single' && choices.length > 1) return invalid('choices', 'tooLong');
  if (new Set(choices).size !== choices.length) return invalid('choices', 'duplicate');
  if (choices.some((c) => c >= config.options.length)) return invalid('choices', 'invalidOption');
  return null;
}
