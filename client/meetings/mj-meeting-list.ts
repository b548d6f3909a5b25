import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { meetingTypes } from '../../shared/domain/enums.ts';
import type { MeetingListItem } from '../../shared/schemas/meetings.ts';
import type { OrganizationSummary } from '../../shared/schemas/organizations.ts';
import { api, query } from '../core/api.ts';
import { errorBanner } from '../core/forms.ts';
import { locale, t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { navigate } from '../core/router.ts';
import { baseStyles } from '../core/styles.ts';
import { statusBadgeOf, timeRange } from './meeting-format.ts';
import { meetingStyles } from './styles.ts';

interface OrgHeader extends OrganizationSummary {
  ancestry: Array<{ id: string; name: string }>;
}

/** A period of start times in the browser's calendar: a year, or one quarter of it. */
function periodOf(year: string, quarter: string): { from?: string; to?: string } {
  if (!year) return {};
  const y = Number(year);
  const q = Number(quarter);
  const from = q ? new Date(y, (q - 1) * 3, 1) : new Date(y, 0, 1);
  const to = q ? new Date(y, q * 3, 1) : new Date(y + 1, 0, 1);
  return { from: from.toISOString(), to: to.toISOString() };
}

/**
 * An organization's meetings: those still to be held (soonest first) and those held or cancelled
 * (latest first), filtered by type and period. Filters live in the address so Back keeps them.
 */
@customElement('mj-meeting-list')
export class MjMeetingList extends MjPage {
  static override styles = [
    baseStyles,
    meetingStyles,
    css`
      .tabs { display: flex; gap: 0.5rem; margin: 0.5rem 0 1rem; }
      .tabs a { min-height: 44px; display: inline-flex; align-items: center; padding: 0 1rem; border-radius: 999px; border: 1px solid var(--mj-line); text-decoration: none; color: var(--mj-ink); background: #fff; }
      .tabs a[aria-current='page'] { background: var(--mj-red); border-color: var(--mj-red); color: #fff; font-weight: 600; }
      .filters { display: grid; grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr)); gap: 0 0.75rem; }
      ul.meetings { list-style: none; margin: 0; padding: 0; }
      ul.meetings li + li { margin-top: 0.75rem; }
      a.meeting { display: flex; gap: 1rem; text-decoration: none; color: inherit; }
      a.meeting:hover h2 { text-decoration: underline; }
      .day { flex: none; width: 4.2rem; text-align: center; border-right: 1px solid var(--mj-line); padding-right: 0.75rem; }
      .day .d { font-size: 1.6rem; font-weight: 700; line-height: 1.1; }
      .day .m { font-size: 0.8rem; color: var(--mj-muted); }
      h2 { font-size: 1.1rem; margin: 0 0 0.25rem; color: var(--mj-focus); }
      .meta { color: var(--mj-muted); font-size: 0.9rem; }
      .badges { display: flex; gap: 0.35rem; flex-wrap: wrap; margin-top: 0.35rem; }
      .badge.group { background: #ddf4ff; color: #0a3069; }
    `,
  ];
  @state() private org?: OrgHeader;
  @state() private meetings?: MeetingListItem[];
  @state() private error: unknown;

  override updated(changed: Map<string, unknown>) {
    if (changed.has('params') || changed.has('query')) void this.load();
  }

  private get filters() {
    return {
      when: this.query.get('when') === 'past' ? 'past' : 'upcoming',
      type: this.query.get('type') ?? '',
      year: this.query.get('year') ?? '',
      quarter: this.query.get('quarter') ?? '',
    };
  }

  private async load() {
    const f = this.filters;
    try {
      const [org, meetings] = await Promise.all([
        api.get<OrgHeader>(`/api/organizations/${this.params.orgId}`),
        api.get<MeetingListItem[]>(
          `/api/organizations/${this.params.orgId}/meetings${query({
            when: f.when,
            type: f.type,
            ...periodOf(f.year, f.quarter),
          })}`,
        ),
      ]);
      this.org = org;
      this.meetings = meetings;
      this.error = undefined;
    } catch (err) {
      this.error = err;
    }
  }

  private setFilter(changes: Record<string, string>) {
    const next = { ...this.filters, ...changes };
    if (!next.year) next.quarter = '';
    navigate(`/orgs/${this.params.orgId}/meetings${query(next)}`, { replace: true });
  }

  override render() {
    if (this.error) return errorBanner(this.error);
    const org = this.org;
    if (!org || !this.meetings) return html`<p class="muted">${t('common.loading')}</p>`;
    const f = this.filters;
    const canSchedule = org.myRoles.includes('secretary') || org.myRoles.includes('admin');
    const thisYear = new Date().getFullYear();
    const years = Array.from({ length: 6 }, (_, i) => String(thisYear + 1 - i));
    const tab = (when: string, label: string) =>
      html`<a href="/orgs/${org.id}/meetings${query({ ...f, when })}" aria-current=${f.when === when ? 'page' : 'false'}>${label}</a>`;
    return html`
      <nav class="crumbs" aria-label=${t('meeting.breadcrumb')}><a href="/orgs/${org.id}">${org.name}</a></nav>
      <div class="row">
        <h1>${t('nav.meetings')}</h1>
        <span class="spacer"></span>
        ${canSchedule ? html`<a class="button primary" href="/orgs/${org.id}/meetings/new">${t('meeting.schedule')}</a>` : nothing}
      </div>
      <div class="tabs" role="navigation">${tab('upcoming', t('meeting.upcoming'))}${tab('past', t('meeting.past'))}</div>
      <div class="filters">
        <div class="field">
          <label for="type">${t('meeting.type')}</label>
          <select id="type" @change=${(e: Event) => this.setFilter({ type: (e.target as HTMLSelectElement).value })}>
            <option value="" ?selected=${!f.type}>${t('meeting.allTypes')}</option>
            ${meetingTypes.map((type) => html`<option value=${type} ?selected=${f.type === type}>${t(`meetingType.${type}`)}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="year">${t('meeting.year')}</label>
          <select id="year" @change=${(e: Event) => this.setFilter({ year: (e.target as HTMLSelectElement).value })}>
            <option value="" ?selected=${!f.year}>${t('meeting.anyTime')}</option>
            ${years.map((y) => html`<option value=${y} ?selected=${f.year === y}>${t('meeting.yearLabel', { year: y })}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="quarter">${t('meeting.quarter')}</label>
          <select id="quarter" ?disabled=${!f.year} @change=${(e: Event) => this.setFilter({ quarter: (e.target as HTMLSelectElement).value })}>
            <option value="" ?selected=${!f.quarter}>${t('meeting.wholeYear')}</option>
            ${['1', '2', '3', '4'].map((q) => html`<option value=${q} ?selected=${f.quarter === q}>${t('meeting.quarterLabel', { quarter: q })}</option>`)}
          </select>
        </div>
      </div>
      ${
        this.meetings.length === 0
          ? html`<p class="card muted">${t(f.when === 'past' ? 'meeting.noPast' : 'meeting.noUpcoming')}</p>`
          : html`<ul class="meetings">${this.meetings.map((m) => this.renderMeeting(m))}</ul>`
      }
    `;
  }

  private renderMeeting(m: MeetingListItem) {
    const start = new Date(m.startsAt);
    const overdue = m.status === 'scheduled' && (m.endsAt ? new Date(m.endsAt) : start) < new Date();
    return html`<li class="card">
      <a class="meeting" href="/meetings/${m.id}">
        <div class="day" aria-hidden="true">
          <div class="d">${start.getDate()}</div>
          <div class="m">${new Intl.DateTimeFormat(locale(), { year: 'numeric', month: 'short' }).format(start)}</div>
        </div>
        <div>
          <h2>${m.title}</h2>
          <div class="meta">${timeRange(m.startsAt, m.endsAt)}${m.location ? ` · ${m.location}` : ''}</div>
          <div class="badges">
            ${m.partyGroupName ? html`<span class="badge group">${t('meeting.partyGroupBadge', { name: m.partyGroupName })}</span>` : nothing}
            <span class="badge">${t(`meetingType.${m.type}`)}</span>
            ${statusBadgeOf(m.status)}
            ${overdue ? html`<span class="badge warn">${t('meeting.awaitingHeld')}</span>` : nothing}
            ${m.minutesLocked ? html`<span class="badge ok">${t('minutes.signedBadge')}</span>` : nothing}
            ${m.myLeave ? html`<span class="badge">${t('leave.mine')}: ${t(`leaveStatus.${m.myLeave}`)}</span>` : nothing}
            <span class="badge">${t('meeting.inviteeCount', { n: m.inviteeCount })}</span>
          </div>
        </div>
      </a>
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-meeting-list': MjMeetingList;
  }
}
