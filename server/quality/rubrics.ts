import { sql } from 'kysely';
import { defaultRubric, type Rubric, rubricSchema } from '../../shared/quality/rubric.ts';
import type { Db } from '../db/schema.ts';

export interface StoredRubric {
  id: string;
  /** The organization that published it; null for the built-in default. */
  organizationId: string | null;
  version: number;
  rubric: Rubric;
}

/**
 * The rubric in force for an organization: the latest version published by the nearest
 * organization on its path (a branch's own, else its general branch's, else its committee's…),
 * or the built-in default (QUALITY-INDEX.md), which is stored as version 1 the first time it is
 * needed so every score can point at the exact rubric row it was computed with.
 */
export async function effectiveRubric(db: Db, ancestry: readonly string[]): Promise<StoredRubric> {
  if (ancestry.length > 0) {
    const published = await db
      .selectFrom('quality_rubrics')
      .select(['id', 'organization_id', 'version', 'rubric'])
      .where('organization_id', 'in', [...ancestry])
      // Nearest organization first (its position in the ancestry), then its newest version.
      .orderBy(sql`array_position(${sql.val([...ancestry])}::uuid[], organization_id)`, 'desc')
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (published) return toStored(published);
  }
  return builtInRubric(db);
}

export async function builtInRubric(db: Db): Promise<StoredRubric> {
  const existing = await db
    .selectFrom('quality_rubrics')
    .select(['id', 'organization_id', 'version', 'rubric'])
    .where('organization_id', 'is', null)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (existing) return toStored(existing);
  await db
    .insertInto('quality_rubrics')
    .values({
      organization_id: null,
      version: defaultRubric.version,
      rubric: JSON.stringify(defaultRubric),
      note: 'built-in default',
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return builtInRubric(db);
}

function toStored(row: {
  id: string;
  organization_id: string | null;
  version: number;
  rubric: unknown;
}): StoredRubric {
  return {
    id: row.id,
    organizationId: row.organization_id,
    version: row.version,
    rubric: rubricSchema.parse(row.rubric),
  };
}
