import type { FastifyBaseLogger } from 'fastify';
import { type Kysely, sql } from 'kysely';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import type { QualityReason } from '../../shared/schemas/quality.ts';
import type { DB } from '../db/schema.ts';
import { safeError } from '../live/safe-log.ts';
import { backfillFingerprints } from './originality.ts';
import { builtInRubric } from './rubrics.ts';
import { computeAndStore } from './scores.ts';

export interface QualityWorkerOptions {
  /** How often the queue is looked at; default 2 s. */
  intervalMs?: number;
  /** Meetings scored per tick at most; default 10. */
  batchSize?: number;
}

/** A meeting whose scoring failed waits this long before it is tried again. */
const retryDelay = '5 minutes';

/**
 * Drains quality_recompute_queue on every app node: each meeting is claimed with
 * `FOR UPDATE SKIP LOCKED`, scored and dequeued in one transaction, so two nodes never score the
 * same meeting at once and a crash mid-way leaves it queued. Once a day (Beijing calendar), and at
 * start-up, it sweeps for meetings to score again without anyone having changed them (sweep()).
 * Errors are logged and retried later; they never stop the worker or the server.
 */
export class QualityWorker {
  /** Meetings scored (stored or found unchanged) and attempts that failed, since start. */
  readonly stats = { computed: 0, failed: 0 };
  private timer?: NodeJS.Timeout;
  private chain: Promise<unknown> = Promise.resolve();
  private tickQueued = false;
  private lastSweepDay: string | null = null;
  private stopped = false;
  private readonly intervalMs: number;
  private readonly batchSize: number;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly log: FastifyBaseLogger,
    options: QualityWorkerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 2000;
    this.batchSize = options.batchSize ?? 10;
  }

  start() {
    this.stopped = false;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
    void this.tick();
  }

  /** Stops ticking and waits for the work in hand, so the pool can close under it. */
  async stop() {
    this.stopped = true;
    clearInterval(this.timer);
    await this.chain;
  }

  /** Scores everything queued and ready now, after whatever this node is already doing. */
  drain(): Promise<void> {
    return this.exclusive(async () => {
      while (await this.next());
    });
  }

  /** One piece of work at a time on this node: ticks and drains queue up behind each other. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.chain.then(work);
    this.chain = result.catch(() => {});
    return result;
  }

  private tick(): Promise<void> {
    if (this.tickQueued || this.stopped) return Promise.resolve();
    this.tickQueued = true;
    return this.exclusive(async () => {
      this.tickQueued = false;
      try {
        const today = shanghaiDate(new Date());
        if (today !== this.lastSweepDay) {
          const swept = await sweep(this.db, today);
          this.lastSweepDay = today;
          if (swept.queued > 0 || swept.fingerprinted > 0) this.log.info(swept, 'quality sweep');
        }
        for (let i = 0; i < this.batchSize && !this.stopped; i++) if (!(await this.next())) break;
      } catch (err) {
        this.log.error({ err: safeError(err) }, 'quality worker tick failed');
      }
    });
  }

  /** Scores the meeting queued longest; false when nothing is ready. */
  private async next(): Promise<boolean> {
    let claimed: { meeting_id: string; reason: string } | undefined;
    try {
      const done = await this.db.transaction().execute(async (trx) => {
        claimed = await trx
          .selectFrom('quality_recompute_queue')
          .select(['meeting_id', 'reason'])
          .where('queued_at', '<=', sql<Date>`now()`)
          .orderBy('queued_at')
          .limit(1)
          .forUpdate()
          .skipLocked()
          .executeTakeFirst();
        if (!claimed) return false;
        await computeAndStore(trx, claimed.meeting_id, claimed.reason as QualityReason);
        await trx
          .deleteFrom('quality_recompute_queue')
          .where('meeting_id', '=', claimed.meeting_id)
          .execute();
        return true;
      });
      if (done) this.stats.computed += 1;
      return done;
    } catch (err) {
      if (!claimed) throw err;
      this.stats.failed += 1;
      // Class and SQLSTATE only: a database error's detail would quote the row, survey figures included.
      this.log.error(
        { err: safeError(err), meetingId: claimed.meeting_id },
        'scoring a meeting failed; retrying later',
      );
      await this.db
        .updateTable('quality_recompute_queue')
        .set({ queued_at: sql<Date>`now() + ${retryDelay}::interval` })
        .where('meeting_id', '=', claimed.meeting_id)
        .execute();
      return true;
    }
  }
}

/**
 * What no feature marks, found once a day: held meetings never scored; meetings with rectification
 * items that fell due since their last computation (R turns from provisional to final); meetings
 * scored under a rubric that is no longer the one in force for them. Also fingerprints closed
 * criticism rounds that have none yet. `today` is a Beijing calendar day.
 */
export async function sweep(
  db: Kysely<DB>,
  today: string,
): Promise<{ queued: number; fingerprinted: number }> {
  const fingerprinted = await backfillFingerprints(db, 50);
  const builtIn = await builtInRubric(db);
  const queue = (reason: QualityReason, meetings: ReturnType<typeof sql>) =>
    sql`
      insert into quality_recompute_queue (meeting_id, reason)
      select meeting_id, ${reason} from (${meetings}) as due
      on conflict (meeting_id) do nothing
    `.execute(db);
  const results = [
    await queue(
      'sweep',
      sql`select m.id as meeting_id from meetings m
          where m.status = 'held'
            and not exists (select 1 from meeting_quality_scores s where s.meeting_id = m.id)
            -- one being scored right now is still queued (locked): leave it to that worker
            and not exists (select 1 from quality_recompute_queue q where q.meeting_id = m.id)`,
    ),
    await queue(
      'itemsFellDue',
      sql`select distinct s.meeting_id from meeting_quality_scores s
          join rectification_items i on i.meeting_id = s.meeting_id
          where s.superseded_at is null
            and i.status in ('planned', 'inProgress', 'completed')
            and i.due_on < ${today}::date
            and i.due_on >= (s.computed_at at time zone 'Asia/Shanghai')::date`,
    ),
    await queue(
      'rubricPublished',
      sql`select s.meeting_id from meeting_quality_scores s
          join meetings m on m.id = s.meeting_id
          join organizations o on o.id = m.organization_id
          left join lateral (
            select r.id from quality_rubrics r
            where r.organization_id = any(o.ancestry)
            order by array_position(o.ancestry, r.organization_id) desc, r.version desc
            limit 1
          ) published on true
          where s.superseded_at is null and s.rubric_id <> coalesce(published.id, ${builtIn.id}::uuid)`,
    ),
  ];
  return { queued: results.reduce((n, r) => n + Number(r.numAffectedRows ?? 0), 0), fingerprinted };
}
