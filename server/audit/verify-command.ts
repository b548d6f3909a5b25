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
    // The head goes on record (a backup log, a printed report): a later run showing an earlier head
    // means entries were removed from the end, which the chain alone cannot reveal.
    const head = result.head ? `; last entry ${result.head.seq} ${result.head.hash}` : '';
    process.stdout.write(`audit log intact: ${result.entries} entries, hash chain verified${head}\n`);
  } else {
    process.stdout.write(
      `audit log BROKEN at entry ${result.brokenAt} (${result.reason}); ${result.entries} ${result.entries === 1 ? 'entry' : 'entries'} before it verified\n`,
    );
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
