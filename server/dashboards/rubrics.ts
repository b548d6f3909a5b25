import { type Rubric, rubricSchema } from '../../shared/quality/rubric.ts';
import { effectiveK } from '../../shared/quality/suppression.ts';
import type { Db } from '../db/schema.ts';
import { builtInRubric } from '../quality/rubrics.ts';

/** The rubric a branch's figures are computed with, and the k that protects its survey answers. */
export interface RubricInForce {
  rubric: Rubric;
  /** k for people inside the organization. */
  branchK: number;
  /** k for every organization above it: the strictest committeeK published on its path. */
  committeeK: number;
}

/**
 * The rubric in force for many organizations in two queries, as effectiveRubric
 * (server/quality/rubrics.ts) decides it for one: the newest version published by the nearest
 * organization on the path, else the built-in default. A committee dashboard needs it for hundreds
 * of branches, where one query per branch would dominate the response time.
 *
 * The committee's k is the largest committeeK among the rubrics published on the path: a branch
 * may set its own weights and its own branchK, but it cannot loosen how its answers are protected
 * from the committees above it.
 */
export async function rubricsInForce(
  db: Db,
  organizations: ReadonlyArray<{ id: string; ancestry: readonly string[] }>,
): Promise<Map<string, RubricInForce>> {
  const onPaths = [...new Set(organizations.flatMap((o) => o.ancestry))];
  const [rows, fallback] = await Promise.all([
    onPaths.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('quality_rubrics')
          .select(['organization_id', 'rubric'])
          .distinctOn('organization_id')
          .where('organization_id', 'in', onPaths)
          .orderBy('organization_id')
          .orderBy('version', 'desc')
          .execute(),
    builtInRubric(db),
  ]);
  const published = new Map(rows.map((r) => [r.organization_id!, rubricSchema.parse(r.rubric)]));
  const result = new Map<string, RubricInForce>();
  for (const organization of organizations) {
    const path = organization.ancestry.flatMap((id) => published.get(id) ?? []);
    const rubric = path.at(-1) ?? fallback.rubric;
    const committeeKs = (path.length > 0 ? path : [rubric]).map((r) =>
      effectiveK(r.suppression.committeeK, 'committee'),
    );
    result.set(organization.id, {
      rubric,
      branchK: effectiveK(rubric.suppression.branchK, 'branch'),
      committeeK: Math.max(...committeeKs),
    });
  }
  return result;
}
