import { type Kysely, sql } from 'kysely';

/**
 * How many could answer a ballot round when it closed. A closed round's turnout ("28 of 30") is a
 * fact of the moment it closed; recomputed from presence, it would change whenever the host later
 * corrects someone's attendance. Null for criticism rounds (they count subjects) and for rounds
 * closed before this column existed, which keep the old, presence-derived figure.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table rounds add column eligible_at_close integer check (eligible_at_close >= 0)`.execute(
    db,
  );
}
