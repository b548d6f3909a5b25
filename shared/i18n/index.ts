import type { Locale } from '../domain/enums.ts';
import { locales } from '../domain/enums.ts';
import appraisal from './messages/appraisal.ts';
import auth from './messages/auth.ts';
import common from './messages/common.ts';
import dashboards from './messages/dashboards.ts';
import domain from './messages/domain.ts';
import live from './messages/live.ts';
import liveUi from './messages/live-ui.ts';
import meetings from './messages/meetings.ts';
import members from './messages/members.ts';
import minutes from './messages/minutes.ts';
import organizations from './messages/organizations.ts';
import quality from './messages/quality.ts';
import qualityPages from './messages/quality-pages.ts';
import rectification from './messages/rectification.ts';
import reminders from './messages/reminders.ts';

/**
 * The translation catalog: one module per feature, merged here. zh-CN is the default language;
 * a missing key falls back to zh-CN and then to the key itself, so a gap is visible, not fatal.
 */
const modules = [
  // One feature per line, so features added in parallel merge without conflicts.
  common,
  auth,
  domain,
  organizations,
  members,
  meetings,
  minutes,
  rectification,
  live,
  liveUi,
  quality,
  reminders,
  dashboards,
  appraisal,
  qualityPages,
];

export const catalog: Record<Locale, Record<string, string>> = {
  'zh-CN': Object.assign({}, ...modules.map((m) => m['zh-CN'])),
  en: Object.assign({}, ...modules.map((m) => m.en)),
};

export const defaultLocale: Locale = 'zh-CN';

export type TranslationParams = Record<string, string | number>;

export function translate(locale: Locale, key: string, params?: TranslationParams): string {
  const template = catalog[locale][key] ?? catalog[defaultLocale][key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  );
}

export function hasTranslation(key: string): boolean {
  return key in catalog[defaultLocale];
}

/** Picks a supported locale from an Accept-Language header (zh-* → zh-CN, en-* → en). */
export function localeFromAcceptLanguage(header: string | undefined): Locale {
  if (!header) return defaultLocale;
  for (const part of header.split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase() ?? '';
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return defaultLocale;
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}
