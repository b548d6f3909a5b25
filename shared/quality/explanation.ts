import type { Locale } from '../domain/enums.ts';
import { type TranslationParams, translate } from '../i18n/index.ts';
import type { ComponentKey } from './rubric.ts';

/**
 * Scores explain themselves as lines of a translation key and its numbers, not as finished
 * sentences: a stored explanation then reads correctly in either language, and the numbers stay
 * numbers (messages in shared/i18n/messages/quality.ts).
 *
 * @example
 * explain([{ key: 'quality.explain.satisfaction', params: { mean: 4.1, answers: 23 } }], 'zh-CN');
 * // ['满意度 4.1/5（23 份）']
 */
export interface ExplanationLine {
  key: string;
  params?: TranslationParams;
  /** The component the line belongs to, for grouping; absent for gates, caps and totals. */
  component?: ComponentKey;
}

export function explain(lines: readonly ExplanationLine[], locale: Locale): string[] {
  return lines.map((line) => translate(locale, line.key, line.params));
}
