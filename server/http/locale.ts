import type { FastifyRequest } from 'fastify';
import type { Locale } from '../../shared/domain/enums.ts';
import { isLocale, localeFromAcceptLanguage } from '../../shared/i18n/index.ts';

export const localeCookie = 'mj_locale';

/** The language of a response: the client's explicit choice (cookie) first, then Accept-Language. */
export function requestLocale(request: FastifyRequest): Locale {
  const chosen = request.cookies?.[localeCookie];
  if (isLocale(chosen)) return chosen;
  return localeFromAcceptLanguage(request.headers['accept-language']);
}
