import { describe, expect, it } from 'vitest';
import {
  activeSubject,
  formatClock,
  lastRevealed,
  openTasks,
  secondsLeft,
  shortReceipt,
  wallFocus,
} from '../../client/live/live-view.ts';
import type { LiveState, RoundView } from '../../shared/schemas/live.ts';

/** The screens' decisions: which task a phone shows, whose turn it is, what the wall puts forward. */
let next = 0;
const id = () => `00000000-0000-4000-8000-${String(++next).padStart(12, '0')}`;

function round(
  kind: RoundView['kind'],
  state: RoundView['state'],
  extra: Partial<RoundView> = {},
): RoundView {
  return {
    id: id(),
    kind,
    title: kind,
    position: ++next,
    state,
    anonymous: true,
    answered: 0,
    eligible: 0,
    revealed: false,
    ...extra,
  };
}

function subject(phase: NonNullable<RoundView['criticism']>['subjects'][number]['phase'], position: number) {
  return {
    id: id(),
    memberId: id(),
    name: `S${position}`,
    position,
    phase,
    selfExamination: null,
    response: null,
    itemCount: 0,
    revealed: [],
  };
}

function state(rounds: RoundView[]): LiveState {
  return {
    meeting: {
      id: id(),
      title: 'm',
      type: 'orgLifeMeeting',
      organizationName: 'b',
      joinCode: 'ABC123',
      joinUrl: '/j/ABC123',
      open: true,
    },
    rounds,
    timer: null,
  };
}

describe('live screens: decisions', () => {
  it('offers a phone its open, unanswered rounds in run-sheet order; never the appraisal to an observer', () => {
    const survey = round('survey', 'open');
    const appraisal = round('appraisal', 'open');
    const criticism = round('criticism', 'open');
    const poll = round('poll', 'open');
    const draft = round('poll', 'draft');
    const st = state([poll, draft, criticism, appraisal, survey].reverse());
    expect(openTasks(st, 'member', new Set(), new Set()).map((r) => r.id)).toEqual([
      survey.id,
      appraisal.id,
      criticism.id,
      poll.id,
    ]);
    // Answered on the server, or saved on the phone waiting to be sent: done here. Criticism stays.
    expect(openTasks(st, 'member', new Set([survey.id]), new Set([poll.id])).map((r) => r.id)).toEqual([
      appraisal.id,
      criticism.id,
    ]);
    expect(openTasks(st, 'observer', new Set(), new Set()).map((r) => r.kind)).toEqual([
      'survey',
      'criticism',
      'poll',
    ]);
    expect(openTasks(st, 'projector', new Set(), new Set())).toEqual([]);
  });

  it('finds the speaker on turn: the first started and not done', () => {
    const r = round('criticism', 'open', {
      criticism: {
        named: false,
        subjects: [subject('done', 1), subject('criticism', 2), subject('waiting', 3)],
      },
    });
    expect(activeSubject(r)?.name).toBe('S2');
    r.criticism!.subjects = [subject('waiting', 1), subject('waiting', 2)];
    expect(activeSubject(r)).toBeUndefined();
  });

  it('puts open rounds on the wall; between rounds, the one the host touched last, results only once revealed', () => {
    const results = { suppressed: true as const, n: 1, k: 3 };
    const survey = round('survey', 'closed', { revealed: true, results });
    const poll = round('poll', 'closed', { results });
    const appraisal = round('appraisal', 'closed');
    const open = round('poll', 'open');
    expect(wallFocus(state([]), null)).toEqual({ kind: 'lobby' });
    expect(wallFocus(state([round('survey', 'draft')]), null)).toEqual({ kind: 'lobby' });
    expect(wallFocus(state([survey, open]), survey.id)).toEqual({ kind: 'open', rounds: [open] });
    expect(wallFocus(state([survey, poll, appraisal]), survey.id)).toEqual({
      kind: 'results',
      round: survey,
    });
    expect(wallFocus(state([survey, poll, appraisal]), poll.id)).toEqual({ kind: 'closed', round: poll });
    // Nothing touched since the wall connected: the last round on the run-sheet.
    expect(wallFocus(state([survey, poll, appraisal]), null)).toEqual({ kind: 'closed', round: appraisal });
    expect(lastRevealed(state([survey, poll, appraisal]))).toBe(survey);
  });

  it('reads receipts and clocks the way people say them', () => {
    expect(shortReceipt('7F3KQ2abcdefghijklmnop')).toBe('7F3K-Q2');
    expect(formatClock(245)).toBe('4:05');
    expect(formatClock(3723)).toBe('1:02:03');
    const now = Date.parse('2026-11-26T10:00:00Z');
    // The server's clock runs 2 s ahead of the phone's: the countdown follows the server.
    expect(secondsLeft('2026-11-26T10:01:00Z', 2000, now)).toBe(58);
    expect(secondsLeft('2026-11-26T09:59:00Z', 0, now)).toBe(0);
  });
});
