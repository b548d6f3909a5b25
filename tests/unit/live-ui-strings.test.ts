import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../shared/i18n/index.ts';

/**
 * Every literal translation key the live screens use exists in the catalog — including keys picked
 * by a condition (`t(a ? 'x' : 'y')`), which a missing-key fallback would otherwise hide.
 */
describe('live screens strings', () => {
  it('uses only keys that exist', () => {
    const dir = 'client/live';
    const missing: string[] = [];
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(path.join(dir, name), 'utf8');
      for (const match of source.matchAll(/'((?:liveUi|common|validation)\.[\w.]+)'/g))
        if (!(match[1]! in catalog['zh-CN'])) missing.push(`${match[1]} (${name})`);
    }
    expect(missing).toEqual([]);
  });
});
