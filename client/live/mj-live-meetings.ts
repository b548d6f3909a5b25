import { css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { LiveMeetingRow } from '../../shared/schemas/live-meetings.ts';
import { api } from '../core/api.ts';
import { errorBanner } from '../core/forms.ts';
import { formatDate, t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { baseStyles } from '../core/styles.ts';

/** The branch's meetings nearest to today, each with the way into its live console. */
@customElement('mj-live-meetings')
export class MjLiveMeetings extends MjPage {
  static override styles = [
    baseStyles,
    css`
      ul { list-style: none; padding: 0; margin: 0; }
      li.card { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; }
      li .what { flex: 1 1 16rem; }
      li .what strong { display: block; }
    `,
  ];
  @state() private meetings?: LiveMeetingRow[];
  @state() private error: unknown;

  override updated(changed: Map<string, unknown>) {
    if (changed.has('params')) void this.load();
  }

  private async load() {
    try {
      const result = await api.get<{ meetings: LiveMeetingRow[] }>(
        `/api/organizations/${this.params.orgId}/live-meetings`,
      );
      this.meetings = result.meetings;
    } catch (err) {
      this.error = err;
    }
  }

  override render() {
    if (this.error) return errorBanner(this.error);
    if (!this.meetings) return html`<p class="muted">${t('common.loading')}</p>`;
    return html`
      <nav class="small"><a href="/orgs/${this.params.orgId}">${t('common.back')}</a></nav>
      <h1>${t('liveUi.meetings.title')}</h1>
      <p class="muted">${t('liveUi.meetings.help')}</p>
      ${this.meetings.length === 0 ? html`<p class="muted">${t('liveUi.meetings.none')}</p>` : ''}
      <ul>
        ${this.meetings.map(
          (m) => html`<li class="card">
            <span class="what"><strong>${m.title}</strong><span class="muted small">${formatDate(m.startsAt, true)} · ${t(`meetingType.${m.type}`)}</span></span>
            ${
              m.live.open
                ? html`<span class="badge ok">${t('liveUi.meetings.live', { open: m.live.openRounds, rounds: m.live.rounds })}</span>`
                : html`<span class="badge">${t('liveUi.meetings.notLive')}</span>`
            }
            <a class="button ${m.live.open ? 'primary' : ''}" href="/meetings/${m.id}/live">${t('liveUi.meetings.console')}</a>
          </li>`,
        )}
      </ul>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-live-meetings': MjLiveMeetings;
  }
}
