import { describe, expect, it } from 'vitest';
import { completeContent } from '../../shared/domain/meetings.ts';
import { followThrough, type ItemFacts } from '../../shared/quality/follow-through.ts';
import {
  type MinutesFacts,
  minutesCompleteness,
  requiredMinutesFields,
} from '../../shared/quality/minutes-fields.ts';
import {
  lookbackStart,
  minHashSignature,
  NearDuplicateIndex,
  SignatureBuckets,
} from '../../shared/quality/originality.ts';

/** How the data layer turns records into the index's inputs: the pure parts. */
describe('required minutes fields (DOMAIN.md §2.4)', () => {
  const complete: MinutesFacts = {
    endsAt: '2026-11-26T08:00:00Z',
    location: '党员活动室',
    mode: 'inPerson',
    hostSet: true,
    recorderSet: true,
    unmarked: 0,
    absenteesWithoutReason: 0,
    content: completeContent({
      agendaItems: ['学习'],
      reports: ['书记报告'],
      speeches: [{ speakerName: '张书记', summary: '发言' }],
      votes: [{ item: '接收预备党员', yes: 20, no: 0, abstain: 1 }],
      resolutions: ['同意接收'],
      closingSummary: '会议圆满完成',
    }),
    custodianSet: true,
  };

  it('asks every meeting for the ten common fields, and each type for what it adds', () => {
    expect(requiredMinutesFields('themedPartyDay')).toHaveLength(10);
    expect(requiredMinutesFields('orgLifeMeeting')).toContain('reports');
    expect(requiredMinutesFields('orgLifeMeeting')).not.toContain('votes');
    expect(requiredMinutesFields('branchGeneralMeeting')).toEqual(
      expect.arrayContaining(['votes', 'resolutions']),
    );
    expect(requiredMinutesFields('branchGeneralMeeting')).toHaveLength(12);
    expect(requiredMinutesFields('branchCommitteeMeeting')).toContain('resolutions');
    expect(requiredMinutesFields('branchCommitteeMeeting')).not.toContain('votes');
  });

  it('names each field still empty', () => {
    expect(minutesCompleteness('branchGeneralMeeting', complete).missing).toEqual([]);
    const sparse: MinutesFacts = {
      ...complete,
      endsAt: null,
      location: '  ',
      unmarked: 2,
      absenteesWithoutReason: 1,
      content: completeContent({ agendaItems: ['学习'] }),
      custodianSet: false,
    };
    expect(minutesCompleteness('branchGeneralMeeting', sparse).missing).toEqual([
      'time',
      'place',
      'attendance',
      'absenceReasons',
      'speeches',
      'votes',
      'resolutions',
      'closingSummary',
      'custodian',
    ]);
    // An online meeting has no room to name.
    expect(minutesCompleteness('partyLecture', { ...sparse, mode: 'online' }).missing).not.toContain('place');
  });
});

describe('rectification follow-through as R reads it', () => {
  const item = (facts: Partial<ItemFacts>): ItemFacts => ({
    status: 'planned',
    dueOn: '2027-03-31',
    verifiedOn: null,
    measures: '每月谈心谈话两次',
    hasOwner: true,
    hasProblem: true,
    ...facts,
  });
  const today = '2027-04-02';

  it('counts verified by the due day as on time, after it as late, past due and unverified as overdue', () => {
    const result = followThrough(
      [
        item({ status: 'verified', verifiedOn: '2027-03-31' }),
        item({ status: 'verified', verifiedOn: '2027-01-05' }),
        item({ status: 'verified', verifiedOn: '2027-04-01' }),
        // Reported done on time, but never verified: 对账销号 is what counts.
        item({ status: 'completed', dueOn: '2027-03-30' }),
        item({ status: 'inProgress', dueOn: '2027-04-01' }),
        // Due today: not yet overdue.
        item({ status: 'inProgress', dueOn: today }),
        item({ status: 'cancelled', dueOn: '2027-01-01' }),
      ],
      today,
    );
    expect(result).toEqual({ items: 6, wellFormed: 6, verifiedOnTime: 2, verifiedLate: 1, overdue: 2 });
  });

  it('needs an owner, measures, a due date and a problem to be well-formed', () => {
    const result = followThrough(
      [
        item({}),
        item({ hasOwner: false }),
        item({ measures: ' ' }),
        item({ dueOn: null }),
        item({ hasProblem: false }),
      ],
      '2027-01-01',
    );
    expect(result.wellFormed).toBe(1);
    // Nothing is due yet, and an ongoing item (no due date) never falls due.
    expect(result).toMatchObject({ items: 5, verifiedOnTime: 0, verifiedLate: 0, overdue: 0 });
    expect(followThrough([item({ dueOn: null })], '2099-01-01').overdue).toBe(0);
  });
});

describe('LSH buckets over stored signatures', () => {
  const boilerplate =
    '对理论学习重视不够，满足于完成规定动作，学习的系统性和深度不够，理论联系实际不够紧密，运用理论指导工作、解决实际问题的能力有待提高。';
  const reworded =
    '对理论学习重视不够，满足于完成规定动作；学习的系统性和深度还不够，理论联系实际不够紧密，运用理论指导实践、解决实际问题的能力有待提高';
  const unrelated =
    '联系服务群众不够主动，深入基层调查研究少，对群众反映的停车难问题跟踪落实不及时，办结后回访不到位。';

  it('names the stored texts that share a band, as the text index would find them', () => {
    const buckets = new SignatureBuckets(0.8);
    // Stored as PostgreSQL integers (signed) and read back: the same bits.
    const stored = (text: string) =>
      Uint32Array.from(
        Array.from(minHashSignature(text), (v) => v | 0),
        (v) => v >>> 0,
      );
    buckets.add('copied', stored(boilerplate));
    buckets.add('other', stored(unrelated));
    expect([...buckets.candidates(minHashSignature(reworded))]).toEqual(['copied']);

    const index = new NearDuplicateIndex({ threshold: 0.8 });
    index.add('copied', boilerplate, '2025-12-03');
    expect(index.query(reworded).best?.id).toBe('copied');
  });

  it('refuses a signature too short for the band layout', () => {
    const buckets = new SignatureBuckets(0.8);
    expect(() => buckets.add('x', new Uint32Array(10))).toThrow();
    expect(lookbackStart('2026-11-26', 2)).toBe('2024-11-26');
  });
});
