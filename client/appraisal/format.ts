import { css, html, nothing, type TemplateResult } from 'lit';
import { type AppraisalGrade, appraisalGrades } from '../../shared/domain/enums.ts';
import { formatDate, t } from '../core/i18n.ts';

/**
 * What the appraisal pages show alike: a grade as a coloured badge (with its word, so it reads
 * without colour), a ballot distribution, dates as the branch writes them, and the styles.
 */

export function gradeBadge(grade: AppraisalGrade | null): TemplateResult {
  if (!grade) return html`<span class="grade none">${t('appraisal.undetermined')}</span>`;
  return html`<span class="grade grade-${grade}">${t(`appraisalGrade.${grade}`)}</span>`;
}

/** Ballots per grade as a thin stacked bar and the four counts beneath it. */
export function distributionView(counts: Record<AppraisalGrade, number> | null): TemplateResult {
  if (!counts) return html`<span class="muted small">—</span>`;
  const total = appraisalGrades.reduce((sum, g) => sum + counts[g], 0);
  return html`<div class="dist">
    <div class="bar" aria-hidden="true">
      ${appraisalGrades.map((g) =>
        counts[g] ? html`<span class="seg grade-${g}" style="flex:${counts[g]}"></span>` : nothing,
      )}
    </div>
    <dl>
      ${appraisalGrades.map(
        (g) => html`<div><dt>${t(`appraisalGrade.${g}`)}</dt><dd>${counts[g]}</dd></div>`,
      )}
    </dl>
    <span class="visually-hidden">${t('appraisal.ballotsTotal', { count: total })}</span>
  </div>`;
}

/** "2026年11月26日 14:03" for instants, "2026年11月26日" for days. */
export const when = (value: string) => formatDate(value, value.length > 10);

export const appraisalStyles = css`
  nav.crumbs { font-size: 0.9rem; margin-bottom: 0.5rem; }
  .card > h2:first-child { margin-top: 0; }
  .grade {
    display: inline-block;
    padding: 0.1rem 0.6rem;
    border-radius: 999px;
    font-size: 0.9rem;
    font-weight: 600;
    white-space: nowrap;
    border: 1px solid transparent;
  }
  .grade.none { background: #f6f8fa; color: var(--mj-muted); border-color: var(--mj-line); font-weight: normal; }
  .grade-excellent { background: #fff1e5; color: #953800; border-color: #ffb77c; }
  .grade-qualified { background: #dafbe1; color: #116329; }
  .grade-basicallyQualified { background: #fff8c5; color: #7d4e00; }
  .grade-unqualified { background: #ffebe9; color: #82071e; }
  .dist { min-width: 11rem; }
  .dist .bar { display: flex; height: 8px; border-radius: 4px; overflow: hidden; background: #eaeef2; margin-bottom: 0.3rem; }
  .dist .seg.grade-excellent { background: #fb8f44; }
  .dist .seg.grade-qualified { background: #4ac26b; }
  .dist .seg.grade-basicallyQualified { background: #d4a72c; }
  .dist .seg.grade-unqualified { background: #cf222e; }
  .dist dl { display: grid; grid-template-columns: repeat(4, auto); gap: 0 0.6rem; margin: 0; font-size: 0.85rem; }
  .dist dl div { display: flex; gap: 0.2rem; white-space: nowrap; }
  .dist dt { color: var(--mj-muted); }
  .dist dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }
  .flag { color: #82071e; font-weight: 600; font-size: 0.9rem; }
  .note-line { white-space: pre-wrap; overflow-wrap: anywhere; }
  ol.history, ul.responses { margin: 0.25rem 0; padding-left: 1.25rem; }
  ol.history li, ul.responses li { margin: 0.25rem 0; }
`;
