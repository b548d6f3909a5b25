import { css, html, nothing, svg, type TemplateResult } from 'lit';
import { parsePeriodKey } from '../../shared/domain/periods.ts';
import type { ExplanationLine } from '../../shared/quality/explanation.ts';
import type { SuppressedNumber } from '../../shared/schemas/dashboards.ts';
import { locale, t } from '../core/i18n.ts';

/**
 * How the dashboards write their figures: percentages and indices with one decimal, periods in
 * words ("2025年第1季度"), explanations as translated lines, and a withheld figure as the sentence
 * saying why ("少于 5 份，不显示") — never as a blank a reader could mistake for zero.
 */

const decimal = () => new Intl.NumberFormat(locale(), { maximumFractionDigits: 1, minimumFractionDigits: 1 });

export function percentText(share: number | null | undefined): string {
  return share === null || share === undefined ? '—' : `${decimal().format(100 * share)}%`;
}

export function indexText(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : decimal().format(value);
}

/** A meeting's MQI is a whole number. */
export function scoreText(value: number | null): string {
  return value === null ? '—' : String(value);
}

export function meanText(value: number): string {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 2, minimumFractionDigits: 2 }).format(
    value,
  );
}

/** A figure from survey answers: its value, or why it is withheld. */
export function answersText(
  figure: SuppressedNumber | null,
  format: (value: number) => string,
): TemplateResult {
  if (figure === null) return html`<span class="muted">—</span>`;
  if (figure.suppressed)
    return html`<span class="suppressed">${t('quality.suppressed', { k: figure.k })}</span>`;
  return html`${format(figure.value)}`;
}

/** "2025年第1季度" / "Q1 2025", "2025年" / "2025", "2025年3月" / "Mar 2025". */
export function periodLabel(key: string): string {
  const period = parsePeriodKey(key);
  if (!period) return key;
  if (period.unit === 'year') return t('dashboard.period.year', { year: period.year });
  if (period.unit === 'quarter')
    return t('dashboard.period.quarter', { year: period.year, quarter: period.quarter });
  return new Intl.DateTimeFormat(locale(), { year: 'numeric', month: 'short' }).format(
    new Date(Date.UTC(period.year, period.month - 1, 15)),
  );
}

/** A short axis label: "25Q1", "2025", "25/03". */
export function periodTick(key: string): string {
  const period = parsePeriodKey(key);
  if (!period || period.unit === 'year') return key;
  const yy = String(period.year).slice(2);
  return period.unit === 'quarter'
    ? `${yy}Q${period.quarter}`
    : `${yy}/${String(period.month).padStart(2, '0')}`;
}

/** Items of a list joined with the current language's separator. */
export function listText(items: readonly string[]): string {
  return items.join(t('dashboard.listSeparator'));
}

/** "Label：value" with the punctuation of the current language. */
export function labelValue(label: string, value: string | number): string {
  return t('dashboard.labelValue', { label, value });
}

export function lines(explanation: readonly ExplanationLine[]): string[] {
  return explanation.map((line) => t(line.key, line.params));
}

/**
 * A figure that explains itself: hovering shows the explanation as a tooltip, tapping (or Enter)
 * opens it below the figure — the same lines the score was stored with, in the reader's language.
 */
export function explained(value: TemplateResult | string, explanation: readonly ExplanationLine[]) {
  const text = lines(explanation);
  if (text.length === 0) return html`${value}`;
  return html`<details class="explained">
    <summary title=${text.join('\n')}>${value}<span class="why" aria-hidden="true">ⓘ</span><span class="visually-hidden">${t('dashboard.why')}</span></summary>
    <ul>${text.map((line) => html`<li>${line}</li>`)}</ul>
  </details>`;
}

export function gradeBadge(grade: string | null | undefined) {
  if (!grade) return nothing;
  const tone = grade === 'good' || grade === 'fairlyGood' ? 'ok' : grade === 'average' ? 'warn' : 'danger';
  return html`<span class="badge ${tone}">${t(`quality.grade.${grade}`)}</span>`;
}

/** A change with its sign and one decimal: "+4.0", "−1.5". */
export function changeText(change: number | null): string {
  if (change === null) return '—';
  return `${change > 0 ? '+' : change < 0 ? '−' : ''}${decimal().format(Math.abs(change))}`;
}

export function trendText(trend: { change: number | null; direction: string }) {
  const arrow = { up: '▲', down: '▼', flat: '■', unknown: '' }[trend.direction] ?? '';
  const params = trend.change === null ? undefined : { change: decimal().format(Math.abs(trend.change)) };
  return html`<span class="trend trend-${trend.direction}">${arrow ? html`<span aria-hidden="true">${arrow}</span> ` : nothing}${t(`quality.trend.${trend.direction}`, params)}</span>`;
}

/**
 * A trend too small for a chart: the index over the last periods as a line, scaled to its own
 * range so a branch's movement shows. Decorative — the trend is also written out beside it.
 */
export function sparkline(values: ReadonlyArray<number | null>) {
  const known = values.filter((v): v is number => v !== null);
  if (known.length < 2) return nothing;
  const low = Math.min(...known) - 2;
  const high = Math.max(...known) + 2;
  const x = (i: number) => 2 + (i * 92) / (values.length - 1);
  const y = (v: number) => 26 - ((v - low) / (high - low)) * 24;
  const points = values.flatMap((v, i) => (v === null ? [] : [`${x(i).toFixed(1)},${y(v).toFixed(1)}`]));
  const last = values.at(-1);
  return html`<svg class="sparkline" viewBox="0 0 96 28" width="96" height="28" aria-hidden="true">
    ${svg`<polyline points=${points.join(' ')} fill="none" stroke="#b71c1c" stroke-width="2" stroke-linejoin="round" />`}
    ${last !== null && last !== undefined ? svg`<circle cx=${x(values.length - 1)} cy=${y(last)} r="2.5" fill="#b71c1c" />` : nothing}
  </svg>`;
}

/** Styles the dashboard pages share. */
export const dashboardStyles = css`
  nav.crumbs { font-size: 0.9rem; margin-bottom: 0.5rem; }
  .heading { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: flex-end; justify-content: space-between; margin-bottom: 0.5rem; }
  .heading h1 { margin: 0; }
  .tools { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: flex-end; }
  .note { color: var(--mj-muted); font-size: 0.9rem; margin: 0.25rem 0 1rem; }
  .kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: 0.75rem; margin: 1rem 0; }
  .kpi { background: var(--mj-card); border: 1px solid var(--mj-line); border-radius: var(--mj-radius); padding: 0.75rem 1rem; min-width: 0; }
  .kpi .label { color: var(--mj-muted); font-size: 0.9rem; }
  .kpi .value { font-size: 1.9rem; font-weight: 700; line-height: 1.2; overflow-wrap: anywhere; }
  .kpi .value .suppressed { font-size: 1rem; font-weight: 600; }
  .kpi .sub { font-size: 0.9rem; margin-top: 0.25rem; }
  .suppressed { color: var(--mj-muted); font-style: normal; white-space: normal; }
  details.explained { display: inline-block; max-width: 100%; position: relative; }
  details.explained > summary { cursor: pointer; list-style: none; display: inline-flex; align-items: baseline; gap: 0.25rem; min-height: 44px; align-items: center; }
  details.explained > summary::-webkit-details-marker { display: none; }
  details.explained .why { font-size: 0.8rem; color: var(--mj-focus); font-weight: 400; }
  /* The explanation floats over what follows, so opening it never reflows a table. */
  details.explained > ul {
    position: absolute; z-index: 10; top: 100%; left: 0; margin: 0;
    width: max-content; max-width: min(22rem, 80vw);
    padding: 0.5rem 0.75rem 0.5rem 1.5rem;
    background: #fff; border: 1px solid var(--mj-line); border-radius: 8px; box-shadow: 0 4px 16px rgba(31, 35, 40, 0.15);
    font-size: 0.875rem; font-weight: 400; line-height: 1.45; color: var(--mj-ink); text-align: left; white-space: normal;
  }
  details.explained > ul li + li { margin-top: 0.2rem; }
  .trend-up { color: var(--mj-ok); }
  .trend-down { color: var(--mj-danger); }
  .trend-flat, .trend-unknown { color: var(--mj-muted); }
  section.panel { background: var(--mj-card); border: 1px solid var(--mj-line); border-radius: var(--mj-radius); padding: 1rem; margin: 1rem 0; min-width: 0; }
  section.panel h2 { margin-top: 0; }
  .grid-2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 28rem), 1fr)); gap: 0 1rem; }
  .period-picker { display: flex; gap: 0.5rem; align-items: flex-end; flex-wrap: wrap; }
  .period-picker .field { margin: 0; }
  .period-picker select { width: auto; min-width: 8rem; }
  td.num, th.num { text-align: right; white-space: nowrap; }
  .flag { display: inline-block; margin: 0 0.25rem 0.25rem 0; }
  @media (max-width: 600px) {
    /* On a phone the explanation opens in place: a floating box could run off a 360-px screen. */
    details.explained > ul { position: static; width: auto; max-width: none; box-shadow: none; margin-top: 0.25rem; }
    .kpis { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 0.5rem; }
    .kpi { padding: 0.6rem 0.75rem; }
    .kpi .value { font-size: 1.5rem; }
    section.panel { padding: 0.75rem; }
  }
  @media (min-width: 1600px) {
    :host { font-size: 1.15rem; }
    .kpi .value { font-size: 2.4rem; }
  }
`;
