import { css, html, LitElement, nothing } from 'lit';
import { customElement } from 'lit/decorators.js';
import type { ItemSummary } from '../../shared/schemas/rectification.ts';
import type { BranchReminders, RemindersResponse } from '../../shared/schemas/reminders.ts';
import { api } from '../core/api.ts';
import { errorBanner } from '../core/forms.ts';
import { formatDate, LocaleController, locale, t } from '../core/i18n.ts';
import { LoadController } from '../core/load.ts';
import { baseStyles } from '../core/styles.ts';
import { dueLine, labelled, ownerText, rectificationStyles, statusBadge } from '../rectification/view.ts';

/**
 * The "提醒" panel at the top of the home page: the person's own overdue or soon-due items and, for
 * the branches whose committee they sit on, overdue work and leave requests waiting for a decision.
 * Each line is one large link to where the person acts; with nothing to remind, the panel is absent.
 */
@customElement('mj-reminders')
export class MjReminders extends LitElement {
  static override styles = [
    baseStyles,
    rectificationStyles,
    css`
      :host { display: block; margin-bottom: 1.5rem; }
      section.card { border-left: 6px solid var(--mj-gold); }
      h2 { margin-top: 0; }
      h3 { margin-top: 1.25rem; overflow-wrap: anywhere; }
      ul { list-style: none; padding: 0; margin: 0.5rem 0; }
      li + li { margin-top: 0.5rem; }
      a.reminder {
        display: block;
        min-height: 44px;
        padding: 0.6rem 0.75rem;
        border: 1px solid var(--mj-line);
        border-radius: 8px;
        color: var(--mj-ink);
        text-decoration: none;
      }
      a.reminder:hover { border-color: var(--mj-focus); }
      .top { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; align-items: center; }
      /* The date and "overdue by 12 days" may need two lines in English at 360 px. */
      .top .due { white-space: normal; }
      .what { display: block; font-weight: 600; margin-top: 0.25rem; overflow-wrap: anywhere; }
      .sub { display: block; color: var(--mj-muted); font-size: 0.95rem; overflow-wrap: anywhere; }
      a.more { display: inline-flex; align-items: center; min-height: 44px; }
      a.overdue-count { display: inline-flex; align-items: center; min-height: 44px; color: var(--mj-danger); font-weight: 700; }
      .label { font-weight: 600; margin: 0.75rem 0 0; }
    `,
  ];
  protected readonly localeController = new LocaleController(this);
  private readonly reminders = new LoadController(this, () =>
    api.get<RemindersResponse>('/api/me/reminders'),
  );

  override render() {
    if (this.reminders.error) return errorBanner(this.reminders.error);
    const data = this.reminders.value;
    if (!data || (data.ownItems.length === 0 && data.branches.length === 0)) return nothing;
    const ownBranches = new Set(data.ownItems.map((i) => i.organization.id));
    return html`<section class="card" aria-labelledby="reminders-heading">
      <h2 id="reminders-heading">${t('reminders.title')}</h2>
      ${
        data.ownItems.length
          ? html`<h3>${t('rectification.myTitle')}</h3>
            <ul>${data.ownItems.map((item) => this.itemLink(item, data.today, ownBranches.size > 1 ? item.organization.name : null))}</ul>
            <a class="more" href="/me/rectification">${t('rectification.allMine')}</a>`
          : nothing
      }
      ${data.branches.map((branch) => this.renderBranch(branch, data.today))}
    </section>`;
  }

  private renderBranch(branch: BranchReminders, today: string) {
    const { organization } = branch;
    return html`<h3>${organization.name}</h3>
      ${
        branch.overdueCount
          ? html`<a class="overdue-count" href="/orgs/${organization.id}/rectification?status=overdue"
                >⚠ ${t('reminders.overdueCount', { count: branch.overdueCount })} · ${t('reminders.seeAllOverdue')}</a>
              <ul>${branch.mostOverdue.map((item) => this.itemLink(item, today, labelled('rectification.field.ownerMemberId', ownerText(item))))}</ul>`
          : nothing
      }
      ${
        branch.pendingLeave.length
          ? html`<p class="label">${t('reminders.pendingLeave')}</p>
              <ul>${branch.pendingLeave.map(
                ({ meeting, members }) => html`<li><a class="reminder" href="/meetings/${meeting.id}">
                  <span class="what">${meeting.title}</span>
                  <span class="sub">${formatDate(meeting.startsAt, true)}</span>
                  <span class="sub">${t('reminders.leaveAskedBy', { names: listFormat().format(members.map((m) => m.name)) })}</span>
                </a></li>`,
              )}</ul>`
          : nothing
      }`;
  }

  /** One item as a line: where it stands and by when, what to do, and whose it is or where. */
  private itemLink(item: ItemSummary, today: string, sub: string | null) {
    return html`<li><a class="reminder" href="/rectification/${item.id}">
      <span class="top">${statusBadge(item.effectiveStatus)} ${dueLine(item, today)}</span>
      <span class="what">${item.measures}</span>
      ${sub ? html`<span class="sub">${sub}</span>` : nothing}
    </a></li>`;
  }
}

/** "甲、乙和丙" / "A, B, and C", as each language writes a list of names. */
const listFormat = () => new Intl.ListFormat(locale(), { style: 'long', type: 'conjunction' });

declare global {
  interface HTMLElementTagNameMap {
    'mj-reminders': MjReminders;
  }
}
