import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Browser tests need the built client and Chromium. Without Chromium they skip with a message,
 * unless REQUIRE_BROWSER=1 (as in .ci/run), where a missing browser is a failure.
 */
export default async function setup(project: TestProject) {
  const available = existsSync(chromiumPath);
  if (!available) {
    const message = `Chromium not found at ${chromiumPath}: browser tests skipped (install Debian's chromium, or set CHROMIUM_PATH).`;
    if (process.env.REQUIRE_BROWSER === '1') throw new Error(message);
    console.warn(`\n⚠ ${message}\n`);
  } else {
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  }
  project.provide('chromiumAvailable', available);
}

declare module 'vitest' {
  export interface ProvidedContext {
    chromiumAvailable: boolean;
  }
}
