import { openDatabaseForCommand } from '../db/open-for-command.ts';
import { verifyAuditChain } from './audit-log.ts';

/**
 * `npm run audit:verify` — recomputes the audit log's hash chain and reports the first broken
 * link. Exit code 0 when intact, 1 when tampered with.
 */
const database = await openDatabaseForCommand();
try {
  const result = await verifyAuditChain(database.db);
  if (result.ok) {
    process.stdout.write(`audit log intact: ${result.entries} entries, hash chain verified\n`);
  } else {
    process.stdout.write(
      `audit log BROKEN at entry ${result.brokenAt} (${result.reason}); ${result.entries} ${result.entries === 1 ? 'entry' : 'entries'} before it verified\n`,
    );
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
