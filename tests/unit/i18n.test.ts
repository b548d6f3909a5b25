import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog, localeFromAcceptLanguage, translate } from '../../shared/i18n/index.ts';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : full.endsWith('.ts') ? [full] : [];
  });
}

describe('translation catalog', () => {
  it('has every key in both languages', () => {
    const zh = Object.keys(catalog['zh-CN']).sort();
    const en = Object.keys(catalog.en).sort();
    expect(en).toEqual(zh);
    for (const [key, value] of Object.entries(catalog.en)) expect(value, key).not.toBe('');
  });

  it('translates every error code the server can throw', () => {
    // Codes appear in server code as AppError('<code>', …), badRequest('<code>'…), conflict('<code>'…) etc.
    const pattern =
      /(?:new AppError|badRequest|conflict|forbidden|unauthorized|wsError)\(\s*'([a-z][\w.]+)'/g;
    const missing: string[] = [];
    for (const file of filesUnder('server')) {
      for (const match of readFileSync(file, 'utf8').matchAll(pattern)) {
        if (!(`error.${match[1]}` in catalog['zh-CN'])) missing.push(`${match[1]} (${file})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('interpolates parameters and falls back to the key', () => {
    expect(translate('en', 'auth.invitationIntro', { organization: 'Branch 1', name: 'Li' })).toBe(
      'Branch 1 invites Li to Mingjing. Choose a login name and password.',
    );
    expect(translate('en', 'no.such.key')).toBe('no.such.key');
  });

  it('picks the language from Accept-Language, Chinese by default', () => {
    expect(localeFromAcceptLanguage('en-US,en;q=0.9')).toBe('en');
    expect(localeFromAcceptLanguage('zh-TW')).toBe('zh-CN');
    expect(localeFromAcceptLanguage(undefined)).toBe('zh-CN');
    expect(localeFromAcceptLanguage('fr-FR')).toBe('zh-CN');
  });
});
