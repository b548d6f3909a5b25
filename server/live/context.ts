import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { BallotWriter } from './ballots.ts';
import type { LiveHub } from './hub.ts';
import type { CheckInWriter } from './sessions.ts';
import type { ViewLoader } from './views.ts';

/** The live feature's services of one app node, created once by the plugin. */
export interface LiveContext {
  db: Kysely<DB>;
  hub: LiveHub;
  writer: BallotWriter;
  checkIns: CheckInWriter;
  loader: ViewLoader;
  log: FastifyBaseLogger;
}
