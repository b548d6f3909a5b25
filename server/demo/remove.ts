import { type Kysely, sql } from 'kysely';
import type { DB, Db } from '../db/schema.ts';

/** The demo's top organization is found by this name at the root of the tree (never a real one's). */
export const demoCommitteeName = '明镜示范党委（演示）';
/** Every demo account's login starts with this, so the demo never takes a real person's login. */
export const demoLoginPrefix = 'demo-';

/** The demo committee, if seeded: a root organization with the demo's name. */
export async function findDemoCommittee(db: Db): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('organizations')
    .select('id')
    .where('parent_id', 'is', null)
    .where('name', '=', demoCommitteeName)
    .executeTakeFirst();
}

/**
 * Removes the demo committee with everything under it, and the demo accounts: those whose login has
 * the demo prefix *and* that belong to the demo (a roster entry or a role in its tree). Rows are
 * found through the database's own foreign keys, children first, so a table added later is
 * covered without this list knowing it. The append-only audit log keeps its entries (its chain
 * must not break); they name ids that no longer exist. Runs in one transaction.
 */
export async function removeDemo(db: Kysely<DB>): Promise<{ organizations: number; accounts: number }> {
  return db.transaction().execute(async (trx) => {
    const roots = await trx
      .selectFrom('organizations')
      .select('id')
      .where('parent_id', 'is', null)
      .where('name', '=', demoCommitteeName)
      .execute();
    if (roots.length === 0) return { organizations: 0, accounts: 0 };
    const rootIds = roots.map((r) => r.id);
    const organizations = await trx
      .selectFrom('organizations')
      .select('id')
      .where(sql<boolean>`ancestry && ${sql.val(rootIds)}::uuid[]`)
      .execute();
    const orgIds = organizations.map((o) => o.id);
    const accounts = await trx
      .selectFrom('accounts')
      .select('id')
      .where('login', 'like', `${demoLoginPrefix}%`)
      .where((eb) =>
        eb.or([
          eb.exists(
            eb
              .selectFrom('members')
              .select('id')
              .whereRef('members.account_id', '=', 'accounts.id')
              .where('members.organization_id', 'in', orgIds),
          ),
          eb.exists(
            eb
              .selectFrom('role_grants')
              .select('id')
              .whereRef('role_grants.account_id', '=', 'accounts.id')
              .where('role_grants.organization_id', 'in', orgIds),
          ),
        ]),
      )
      .execute();
    const foreignKeys = await referencingKeys(trx);
    await deleteWithDependents(trx, foreignKeys, 'organizations', 'id', orgIds);
    await deleteWithDependents(
      trx,
      foreignKeys,
      'accounts',
      'id',
      accounts.map((a) => a.id),
    );
    return { organizations: orgIds.length, accounts: accounts.length };
  });
}

interface ForeignKey {
  child: string;
  childColumn: string;
  parent: string;
  parentColumn: string;
}

/** Single-column foreign keys of the current schema. */
async function referencingKeys(db: Kysely<DB>): Promise<ForeignKey[]> {
  const result = await sql<ForeignKey>`
    select child.relname as child, ca.attname as "childColumn",
           parent.relname as parent, pa.attname as "parentColumn"
    from pg_constraint c
    join pg_class child on child.oid = c.conrelid
    join pg_class parent on parent.oid = c.confrelid
    join pg_attribute ca on ca.attrelid = c.conrelid and ca.attnum = c.conkey[1]
    join pg_attribute pa on pa.attrelid = c.confrelid and pa.attnum = c.confkey[1]
    where c.contype = 'f' and array_length(c.conkey, 1) = 1
      and c.connamespace = (select oid from pg_namespace where nspname = current_schema())
  `.execute(db);
  return result.rows;
}

/**
 * Deletes the rows of `table` whose `column` is one of `values`, after the rows of every table
 * that references them (a row nothing else references is deleted directly; a self-reference such
 * as a parent organization recurses level by level until no child is left).
 */
async function deleteWithDependents(
  db: Kysely<DB>,
  foreignKeys: readonly ForeignKey[],
  table: string,
  column: string,
  values: readonly string[],
  depth = 0,
): Promise<void> {
  if (values.length === 0) return;
  if (depth > 32) throw new Error(`removing the demo: references nest too deep at ${table}`);
  for (const key of foreignKeys.filter((k) => k.parent === table)) {
    const referenced = await sql<{ value: string }>`
      select distinct ${sql.ref(key.parentColumn)}::text as value from ${sql.table(table)}
      where ${sql.ref(column)}::text = any(${sql.val(values)}::text[])
    `.execute(db);
    await deleteWithDependents(
      db,
      foreignKeys,
      key.child,
      key.childColumn,
      referenced.rows.map((r) => r.value),
      depth + 1,
    );
  }
  await sql`delete from ${sql.table(table)} where ${sql.ref(column)}::text = any(${sql.val(values)}::text[])`.execute(
    db,
  );
}
