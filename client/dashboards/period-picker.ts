import { html } from 'lit';
import { parsePeriodKey, periodKey, trailingPeriods } from '../../shared/domain/periods.ts';
import type { Period } from '../../shared/quality/compliance.ts';
import { t } from '../core/i18n.ts';
import { periodLabel } from './format.ts';

/** How far back the picker offers: three years of quarters, six years. */
const offered = { quarter: 12, year: 6 } as const;

/** The period containing today in the browser's calendar. */
function thisPeriod(unit: 'quarter' | 'year'): Period {
  const now = new Date();
  return unit === 'year'
    ? { unit, year: now.getFullYear() }
    : { unit, year: now.getFullYear(), quarter: Math.floor(now.getMonth() / 3) + 1 };
}

/**
 * Quarter or year, then which one: two labelled selects. The choice goes into the address
 * (`?period=2025-Q3`), so Back, a bookmark and a shared link show the same figures.
 */
export function periodPicker(current: string, onChange: (key: string) => void) {
  const period = parsePeriodKey(current);
  const unit = period?.unit === 'year' ? 'year' : 'quarter';
  const keys = trailingPeriods(thisPeriod(unit), offered[unit]).map(periodKey).reverse();
  if (!keys.includes(current)) keys.unshift(current);
  const switchUnit = (event: Event) => {
    const next = (event.target as HTMLSelectElement).value as 'quarter' | 'year';
    onChange(
      periodKey(
        next === 'year'
          ? { unit: 'year', year: period?.year ?? new Date().getFullYear() }
          : thisPeriod('quarter'),
      ),
    );
  };
  return html`<div class="period-picker">
    <div class="field">
      <label for="unit">${t('dashboard.period.unit')}</label>
      <select id="unit" @change=${switchUnit}>
        <option value="quarter" ?selected=${unit === 'quarter'}>${t('dashboard.period.byQuarter')}</option>
        <option value="year" ?selected=${unit === 'year'}>${t('dashboard.period.byYear')}</option>
      </select>
    </div>
    <div class="field">
      <label for="period">${t('dashboard.period.label')}</label>
      <select id="period" @change=${(e: Event) => onChange((e.target as HTMLSelectElement).value)}>
        ${keys.map((key) => html`<option value=${key} ?selected=${key === current}>${periodLabel(key)}</option>`)}
      </select>
    </div>
  </div>`;
}
