import {
  css,
  html,
  nothing,
  type ReactiveController,
  type ReactiveControllerHost,
  type TemplateResult,
} from 'lit';
import {
  daysBetween,
  dueSoonDays,
  type EffectiveRectificationStatus,
} from '../../shared/domain/rectification.ts';
import type { ItemSummary } from '../../shared/schemas/rectification.ts';
import { formatDate, t } from '../core/i18n.ts';

/**
 * Pieces every rectification page shows the same way: the colour-coded status badge, the due-date
 * line, who answers for an item, and an item as a phone card.
 */

export function statusBadge(status: EffectiveRectificationStatus): TemplateResult {
  // The overdue badge carries a symbol as well as a colour, so it reads without colour vision.
  return html`<span class="status status-${status}">${status === 'overdue' ? '⚠ ' : ''}${t(`rectificationStatus.${status}`)}</span>`;
}

/** "Due in 3 days", "Overdue by 2 days", the date, or "ongoing" for an item without a deadline. */
export function dueLine(item: Pick<ItemSummary, 'dueOn' | 'effectiveStatus'>, today: string): TemplateResult {
  if (!item.dueOn) return html`<span class="due">${t('rectification.ongoing')}</span>`;
  const date = formatDate(item.dueOn);
  const open = item.effectiveStatus === 'planned' || item.effectiveStatus === 'inProgress';
  if (item.effectiveStatus === 'overdue') {
    const days = daysBetween(item.dueOn, today);
    return html`<span class="due overdue">${date} · ${t('rectification.overdueByDays', { days })}</span>`;
  }
  if (!open) return html`<span class="due">${date}</span>`;
  const days = daysBetween(today, item.dueOn);
  const soon = days === 0 ? t('rectification.dueToday') : t('rectification.dueInDays', { days });
  return html`<span class="due ${days <= dueSoonDays ? 'soon' : ''}">${date} · ${soon}</span>`;
}

export function ownerText(item: Pick<ItemSummary, 'owner' | 'ownerUnit'>): string {
  return [item.owner?.name, item.ownerUnit].filter(Boolean).join(' · ') || t('common.none');
}

/** "Label：value" with the punctuation of the current language. */
export function labelled(labelKey: string, value: string): string {
  return t('rectification.labelValue', { label: t(labelKey), value });
}

/** An item as a tappable card: what the problem is, what to do, by when, and where it stands. */
export function itemCard(item: ItemSummary, today: string, options: { showBranch?: boolean } = {}) {
  return html`<a class="item-card status-edge-${item.effectiveStatus}" href="/rectification/${item.id}">
    <div class="card-top">
      ${statusBadge(item.effectiveStatus)}
      ${item.immediateFix ? html`<span class="badge">${t('rectification.immediateFixBadge')}</span>` : nothing}
      ${options.showBranch ? html`<span class="muted small">${item.organization.name}</span>` : nothing}
    </div>
    <p class="problem">${item.problem.description}</p>
    <p class="measures">${labelled('rectification.field.measures', item.measures)}</p>
    <p class="meta">
      <span>${labelled('rectification.field.ownerMemberId', ownerText(item))}</span>
      ${dueLine(item, today)}
    </p>
  </a>`;
}

/** Whether the viewport is phone-sized; the list renders cards there and a table elsewhere. */
export class NarrowScreenController implements ReactiveController {
  private readonly query = window.matchMedia('(max-width: 700px)');
  private readonly update = () => this.host.requestUpdate();
  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }
  get narrow(): boolean {
    return this.query.matches;
  }
  hostConnected() {
    this.query.addEventListener('change', this.update);
  }
  hostDisconnected() {
    this.query.removeEventListener('change', this.update);
  }
}

export const rectificationStyles = css`
  .status {
    display: inline-block;
    padding: 0.15rem 0.6rem;
    border-radius: 999px;
    font-size: 0.85rem;
    font-weight: 600;
    white-space: nowrap;
    border: 1px solid transparent;
  }
  .status-planned { background: #eaeef2; color: #424a53; }
  .status-inProgress { background: #ddf4ff; color: #0550ae; }
  .status-overdue { background: #cf222e; color: #fff; }
  .status-completed { background: #fff8c5; color: #7d4e00; border-color: #d4a72c; }
  .status-verified { background: #dafbe1; color: #116329; }
  .status-cancelled { background: #f6f8fa; color: #59636e; text-decoration: line-through; border-color: #d0d7de; }
  .due { color: var(--mj-muted); white-space: nowrap; }
  .due.soon { color: var(--mj-warn); font-weight: 600; }
  .due.overdue { color: var(--mj-danger); font-weight: 700; }
  .item-card {
    display: block;
    background: var(--mj-card);
    border: 1px solid var(--mj-line);
    border-left: 6px solid #afb8c1;
    border-radius: var(--mj-radius);
    padding: 0.85rem 1rem;
    color: var(--mj-ink);
    text-decoration: none;
    min-height: 44px;
  }
  .item-card + .item-card { margin-top: 0.75rem; }
  .item-card:hover { border-color: var(--mj-focus); }
  .status-edge-inProgress { border-left-color: #0969da; }
  .status-edge-overdue { border-left-color: #cf222e; }
  .status-edge-completed { border-left-color: #d4a72c; }
  .status-edge-verified { border-left-color: #1a7f37; }
  .item-card .card-top { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; }
  .item-card p { margin: 0.4rem 0 0; overflow-wrap: anywhere; }
  .item-card .problem { font-weight: 600; font-size: 1.05rem; }
  .item-card .meta { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; font-size: 0.95rem; }
  .card > h2:first-child, .card > .row:first-child h2, .card > h3:first-child { margin-top: 0; }
  .two { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: 0 1rem; }
  .check-field { display: flex; align-items: center; min-height: 44px; }
  .form-buttons { display: flex; gap: 0.75rem; flex-wrap: wrap; }
  .chips { display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 0.5rem 0 1rem; }
  .chips button { min-height: 40px; border-radius: 999px; padding: 0.25rem 0.9rem; }
  .chips button[aria-pressed='true'] { background: var(--mj-ink); color: #fff; border-color: var(--mj-ink); }
  .chips button.overdue { border-color: var(--mj-danger); color: var(--mj-danger); font-weight: 600; }
  .chips button.overdue[aria-pressed='true'] { background: var(--mj-danger); color: #fff; }
`;
