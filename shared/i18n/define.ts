import type { Locale } from '../domain/enums.ts';

/**
 * One feature's strings in both languages. The English table must have exactly the keys of the
 * Chinese one (zh-CN is the default and the source of truth), which the compiler enforces here.
 */
export function defineMessages<const Zh extends Record<string, string>>(messages: {
  'zh-CN': Zh;
  en: { [K in keyof Zh]: string };
}): Record<Locale, Record<string, string>> {
  return messages;
}
