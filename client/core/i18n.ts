import type { ReactiveControllerHost } from 'lit';
import type { Locale } from '../../shared/domain/enums.ts';
import {
  isLocale,
  localeFromAcceptLanguage,
  type TranslationParams,
  translate,
} from '../../shared/i18n/index.ts';
import { StoreController } from './listeners.ts';

/**
 * The client's language. zh-CN unless the person chose otherwise (remembered in localStorage and,
 * for server messages, in the mj_locale cookie). Every string goes through t(); components that
 * use LocaleController re-render when the language changes.
 */
const storageKey = 'mj.locale';
let current: Locale = initialLocale();
const listeners = new Set<() => void>();

function initialLocale(): Locale {
  const stored = globalThis.localStorage?.getItem(storageKey);
  if (isLocale(stored)) return stored;
  return localeFromAcceptLanguage(globalThis.navigator?.language);
}

export function locale(): Locale {
  return current;
}

export function t(key: string, params?: TranslationParams): string {
  return translate(current, key, params);
}

export function setLocale(next: Locale) {
  if (next === current) return;
  current = next;
  localStorage.setItem(storageKey, next);
  document.documentElement.lang = next;
  // The server translates error messages from this cookie too; API call is best effort.
  void fetch('/api/locale', {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ locale: next }),
  }).catch(() => {});
  for (const listener of listeners) listener();
}

/** Adopts the account's saved language after sign-in without writing it back. */
export function adoptLocale(next: Locale) {
  if (next === current) return;
  current = next;
  localStorage.setItem(storageKey, next);
  document.documentElement.lang = next;
  for (const listener of listeners) listener();
}

/** Re-renders its host when the language changes. */
export class LocaleController extends StoreController {
  constructor(host: ReactiveControllerHost) {
    super(host, listeners);
  }
}

/** Formats a date or timestamp for the current language (dates as 2026年11月26日 / 26 Nov 2026). */
export function formatDate(value: string | Date | null | undefined, withTime = false): string {
  if (!value) return '';
  const date =
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
      ? new Date(`${value}T00:00:00`)
      : new Date(value);
  return new Intl.DateTimeFormat(current, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    ...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}),
  }).format(date);
}
