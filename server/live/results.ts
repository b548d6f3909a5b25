import {
  type AppraisalTally,
  type PollTally,
  type SurveyTally,
  tallyAppraisal,
  tallyPoll,
  tallySurvey,
} from '../../shared/domain/live-tallies.ts';
import type { BallotAnswers, StoredRoundConfig, SurveyInstrument } from '../../shared/schemas/rounds.ts';
import type { Db } from '../db/schema.ts';

export type Tally =
  | { kind: 'survey'; tally: SurveyTally }
  | { kind: 'appraisal'; tally: AppraisalTally }
  | { kind: 'poll'; tally: PollTally };

type Answers<K extends BallotAnswers['kind']> = Extract<BallotAnswers, { kind: K }>;

/**
 * Tallies of closed rounds. A closed round is sealed and can never change, so its tally is computed
 * once per node and kept (bounded); open rounds are never tallied at all.
 */
export class ResultsCache {
  private readonly tallies = new Map<string, Tally>();

  constructor(private readonly capacity = 500) {}

  async tally(
    db: Db,
    round: { id: string; kind: 'survey' | 'appraisal' | 'poll'; state: string; config: StoredRoundConfig },
    instrument: SurveyInstrument | undefined,
  ): Promise<Tally> {
    if (round.state !== 'closed') throw new Error('only a closed round is tallied');
    const cached = this.tallies.get(round.id);
    if (cached) return cached;
    // Ordered by the random ballot id: the comment list comes out shuffled, unrelated to who wrote when.
    const rows = await db
      .selectFrom('ballots')
      .select('content')
      .where('round_id', '=', round.id)
      .orderBy('id')
      .execute();
    const contents = rows.map((r) => r.content);
    let tally: Tally;
    switch (round.kind) {
      case 'survey':
        tally = {
          kind: 'survey',
          tally: tallySurvey(
            instrument!,
            contents.filter((c): c is Answers<'survey'> => c.kind === 'survey'),
          ),
        };
        break;
      case 'appraisal':
        tally = {
          kind: 'appraisal',
          tally: tallyAppraisal(
            round.config.graded ?? [],
            contents.filter((c): c is Answers<'appraisal'> => c.kind === 'appraisal'),
          ),
        };
        break;
      case 'poll': {
        const options = round.config.kind === 'poll' ? round.config.options.length : 0;
        tally = {
          kind: 'poll',
          tally: tallyPoll(
            options,
            contents.filter((c): c is Answers<'poll'> => c.kind === 'poll'),
          ),
        };
        break;
      }
    }
    this.tallies.set(round.id, tally);
    if (this.tallies.size > this.capacity) this.tallies.delete(this.tallies.keys().next().value!);
    return tally;
  }
}
