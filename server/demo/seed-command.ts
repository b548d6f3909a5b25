import { demoCommandArgs } from '../../shared/schemas/demo.ts';
import { ConfigError } from '../config/config.ts';
import { openDatabaseForCommand } from '../db/open-for-command.ts';
import { DemoLoginsTaken, type DemoSeedOutcome, DemoSeedRunning, demoPassword, seedDemo } from './seed.ts';

/**
 * `npm run demo [-- --reset]` — seeds a demo committee into the app's database (the same
 * configuration as `npm start`: DATABASE_URL, or the embedded PostgreSQL under DATA_DIR, joined if
 * the server is running). A second run finds the demo and changes nothing; --reset removes the
 * demo data, and only it, and seeds again. Exit codes: 0 done, 1 failed, 2 bad options or settings.
 * Like the server's set-up message, the console text is Chinese and English side by side.
 */
const roleLabel: Record<DemoSeedOutcome['logins'][number]['role'], string> = {
  committeeViewer: '党委查看 committee viewer',
  secretary: '支部书记 secretary       ',
  committeeMember: '支委委员 committee member',
  member: '党员     member          ',
};

const usage = `明镜 Mingjing — 演示数据 / demo data

  npm run demo              创建演示党委 / seed a demo committee (once; a second run changes nothing)
  npm run demo -- --reset   删除并重建演示数据 / remove the demo data (only it) and seed it again
  npm run demo -- --help    显示本说明 / show this help
`;

const parsed = demoCommandArgs.safeParse(process.argv.slice(2));
if (!parsed.success) {
  process.stderr.write(
    `选项无效 / invalid options: ${parsed.error.issues.map((i) => i.message).join('; ')}\n\n${usage}`,
  );
  process.exit(2);
}
if (parsed.data.help) {
  process.stdout.write(usage);
  process.exit(0);
}

let database: Awaited<ReturnType<typeof openDatabaseForCommand>>;
try {
  database = await openDatabaseForCommand();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  throw err;
}

let outcome: DemoSeedOutcome | undefined;
try {
  process.stdout.write(
    parsed.data.reset
      ? '正在重建演示数据 / re-creating the demo data …\n'
      : '正在创建演示数据 / seeding the demo data …\n',
  );
  outcome = await seedDemo(database.db, {
    reset: parsed.data.reset,
    progress: (line) => process.stdout.write(`  ${line}\n`),
  });
} catch (err) {
  if (err instanceof DemoSeedRunning) {
    process.stderr.write(
      '另一个演示数据任务正在运行 / another `npm run demo` is seeding this database right now\n',
    );
  } else if (err instanceof DemoLoginsTaken) {
    process.stderr.write(
      `演示账号的登录名已被占用，未作任何改动 / demo logins are already taken; nothing was changed: ${err.logins.join(', ')}\n`,
    );
  } else {
    process.stderr.write(
      `演示数据创建失败，已撤回 / seeding the demo failed and was rolled back: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
  }
  process.exitCode = 1;
} finally {
  await database.close();
}
if (outcome) process.stdout.write(report(outcome));

function report(outcome: DemoSeedOutcome): string {
  const head =
    outcome.status === 'alreadySeeded'
      ? '\n  演示数据已存在，未作改动（重建请用 --reset）/ already seeded, nothing changed (use --reset to re-create)\n'
      : `\n  演示数据已创建 / demo seeded: ${outcome.counts!.organizations} organizations, ${outcome.counts!.members} members, ${outcome.counts!.meetings} meetings held, ${outcome.counts!.items} rectification items, ${outcome.counts!.scored} meetings scored\n`;
  const width = Math.max(...outcome.logins.map((l) => l.login.length));
  const rows = outcome.logins.map(
    (l) => `    ${l.login.padEnd(width)}  ${roleLabel[l.role]}  ${l.organization} ${l.name}`,
  );
  return `${head}
  登录名 / logins (密码 / password: ${demoPassword}):
${rows.join('\n')}

  启动后登录 / sign in after \`npm start\`. 即将召开的组织生活会可直接开启现场会议 / the upcoming 组织生活会 of the first branch is ready to run live.
`;
}
