import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function run(command: string, args: string[]): string {
  try {
    execFileSync(command, args, { encoding: 'utf8', stdio: 'pipe' });
    return '';
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return `${e.stdout ?? ''}${e.stderr ?? ''}` || String(err);
  }
}

describe('the project', () => {
  it('type-checks, server and client', () => {
    expect(run('npx', ['tsc', '-p', 'tsconfig.json'])).toBe('');
    expect(run('npx', ['tsc', '-p', 'client/tsconfig.json'])).toBe('');
  }, 120_000);

  it('passes the linter and formatter (npm run lint)', () => {
    expect(run('npx', ['biome', 'check', '--diagnostic-level=error', '.'])).toBe('');
  }, 60_000);
});
