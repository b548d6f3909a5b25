import { sql } from 'kysely';
import { defaultSurveyInstrument } from '../../shared/domain/survey.ts';
import type { SurveyInstrument } from '../../shared/schemas/rounds.ts';
import type { Db } from '../db/schema.ts';

/**
 * Satisfaction-survey instruments, versioned. The built-in default (DOMAIN.md §5) is stored as
 * version 1 with no organization the first time a survey needs it; a committee publishes edited
 * versions for its subtree (version numbers count per publishing organization). A branch uses the
 * newest version published by its nearest ancestor that has published any. Rows never change, so a
 * round that records its instrument id keeps exactly the questions its ballots answered.
 */
export interface Instrument {
  id: string;
  organizationId: string | null;
  version: number;
  definition: SurveyInstrument;
  createdAt: Date;
}

const byId = new Map<string, Instrument>();

function toInstrument(row: {
  id: string;
  organization_id: string | null;
  version: number;
  definition: SurveyInstrument;
  created_at: Date;
}): Instrument {
  const instrument = {
    id: row.id,
    organizationId: row.organization_id,
    version: row.version,
    definition: row.definition,
    createdAt: row.created_at,
  };
  byId.set(instrument.id, instrument);
  return instrument;
}

const columns = ['id', 'organization_id', 'version', 'definition', 'created_at'] as const;

export async function instrumentById(db: Db, id: string): Promise<Instrument | undefined> {
  const cached = byId.get(id);
  if (cached) return cached;
  const row = await db
    .selectFrom('survey_instruments')
    .select(columns)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toInstrument(row) : undefined;
}

async function defaultInstrument(db: Db): Promise<Instrument> {
  await db
    .insertInto('survey_instruments')
    .values({ organization_id: null, version: 1, definition: JSON.stringify(defaultSurveyInstrument) })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const row = await db
    .selectFrom('survey_instruments')
    .select(columns)
    .where('organization_id', 'is', null)
    .where('version', '=', 1)
    .executeTakeFirstOrThrow();
  return toInstrument(row);
}

/** The instrument in force for an organization, given its ancestry (root … self). */
export async function effectiveInstrument(db: Db, ancestry: readonly string[]): Promise<Instrument> {
  const rows = await db
    .selectFrom('survey_instruments')
    .select(columns)
    .where('organization_id', 'in', [...ancestry])
    .orderBy('version', 'desc')
    .execute();
  for (const organizationId of [...ancestry].reverse()) {
    const newest = rows.find((r) => r.organization_id === organizationId);
    if (newest) return toInstrument(newest);
  }
  return defaultInstrument(db);
}

/** Whether an organization may use an instrument: the default, or one published on its ancestry. */
export function usableBy(instrument: Instrument, ancestry: readonly string[]): boolean {
  return instrument.organizationId === null || ancestry.includes(instrument.organizationId);
}

export async function publishInstrument(
  db: Db,
  organizationId: string,
  definition: SurveyInstrument,
  accountId: string,
): Promise<Instrument> {
  // The next version number of this organization, taken under a lock so two publishers can't collide.
  await sql`select pg_advisory_xact_lock(hashtext('survey_instruments:' || ${organizationId}))`.execute(db);
  const last = await db
    .selectFrom('survey_instruments')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
  const row = await db
    .insertInto('survey_instruments')
    .values({
      organization_id: organizationId,
      version: (last?.version ?? 0) + 1,
      definition: JSON.stringify(definition),
      created_by: accountId,
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toInstrument(row);
}
