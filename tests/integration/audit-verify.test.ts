import { execFile } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../../server/audit/audit-log.ts';
import { dbVariantsFromEnv } from '../support/db-variants.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-app.ts';

/** `npm run audit:verify` as an operator runs it, against the given database. */
function verify(databaseUrl: string): Promise<{ exitCode: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['run', '--silent', 'audit:verify'],
      { env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' } },
      (error, stdout) => resolve({ exitCode: error ? Number(error.code) : 0, stdout }),
    );
  });
}

/**
 * The verification command: exit 0 and the number of entries on an intact chain; exit 1 and the
 * first broken entry when someone with the power to switch off the append-only trigger changed or
 * removed a row.
 */
for (const variant of dbVariantsFromEnv()) {
  describe(`${variant}: npm run audit:verify`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(variant);
    });
    afterAll(() => database?.close());

    /** What a superuser can do behind the application's back. */
    const tamper = async (statement: ReturnType<typeof sql>) => {
      await sql`alter table audit_log disable trigger audit_log_append_only`.execute(database.db);
      await statement.execute(database.db);
      await sql`alter table audit_log enable trigger audit_log_append_only`.execute(database.db);
    };

    // Each run starts a process that compiles the command's TypeScript: seconds, not milliseconds.
    it('passes an intact chain with its head, and names the first entry that was altered or removed', {
      timeout: 180_000,
    }, async () => {
      for (let i = 1; i <= 5; i++)
        await database.db.transaction().execute((trx) =>
          appendAudit(trx, {
            actorAccountId: null,
            actorLabel: '书记',
            action: 'round.opened',
            details: { i },
          }),
        );
      const hashOf = async (seq: number) =>
        (
          await database.db
            .selectFrom('audit_log')
            .select('hash')
            .where('seq', '=', seq)
            .executeTakeFirstOrThrow()
        ).hash;
      const recordedHead = `last entry 5 ${await hashOf(5)}`;
      expect(await verify(database.url)).toEqual({
        exitCode: 0,
        stdout: `audit log intact: 5 entries, hash chain verified; ${recordedHead}\n`,
      });

      // Entries removed from the end leave a chain that verifies; the head recorded earlier does not match.
      await tamper(sql`delete from audit_log where seq = 5`);
      const truncated = await verify(database.url);
      expect(truncated).toEqual({
        exitCode: 0,
        stdout: `audit log intact: 4 entries, hash chain verified; last entry 4 ${await hashOf(4)}\n`,
      });
      expect(truncated.stdout).not.toContain(recordedHead);

      await tamper(sql`update audit_log set actor_label = '别人' where seq = 4`);
      expect(await verify(database.url)).toEqual({
        exitCode: 1,
        stdout: 'audit log BROKEN at entry 4 (hash); 3 entries before it verified\n',
      });

      await tamper(sql`delete from audit_log where seq = 2`);
      expect(await verify(database.url)).toEqual({
        exitCode: 1,
        stdout: 'audit log BROKEN at entry 2 (gap); 1 entry before it verified\n',
      });
    });
  });
}
