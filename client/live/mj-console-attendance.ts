import { css, html, nothing } from 'lit';
import { customElement } from 'lit/decorators.js';
import { type AttendanceStatus, attendanceStatuses } from '../../shared/domain/enums.ts';
import { api } from '../core/api.ts';
import { errorBanner } from '../core/forms.ts';
import { t } from '../core/i18n.ts';
import { baseStyles } from '../core/styles.ts';
import { tableWrap } from '../core/table-wrap.ts';
import { ConsolePanel, consoleStyles } from './console-panel.ts';

/**
 * Check-in at a glance: the quorum indicator, present / absent / on leave / exempt counts, and every
 * invitee with their status (check-in by phone marks present; the host can mark anyone, e.g. a
 * member without a phone, or someone on leave) and the observers who joined.
 */
@customElement('mj-console-attendance')
export class MjConsoleAttendance extends ConsolePanel {
  static override styles = [
    baseStyles,
    consoleStyles,
    css`
      .summary { display: grid; grid-template-columns: repeat(auto-fill, minmax(7rem, 1fr)); gap: 0.5rem; margin: 0.75rem 0 1rem; }
      .summary div { background: var(--mj-bg); border-radius: 8px; padding: 0.5rem 0.75rem; }
      .summary strong { display: block; font-size: 1.5rem; }
      /* A long quorum sentence wraps on a phone instead of widening the page. */
      .quorum { font-weight: 600; white-space: normal; }
      select { min-height: 40px; width: auto; }
    `,
  ];

  override render() {
    const attendance = this.live.attendance;
    if (!attendance) return nothing;
    const { quorum } = attendance;
    const badge = quorum.met === null ? '' : quorum.met ? 'ok' : 'danger';
    return html`
      <div class="panel-head">
        <h2>${t('liveUi.console.attendance')}</h2>
        <span class="badge ${badge} quorum" role="status">${
          quorum.met === null
            ? t('liveUi.console.quorumNone')
            : t(quorum.met ? 'liveUi.console.quorumMet' : 'liveUi.console.quorumNotMet', {
                present: quorum.present,
                required: quorum.required,
              })
        }</span>
      </div>
      <div class="summary">
        <div><strong>${attendance.present}</strong>${t('attendanceStatus.present')}</div>
        <div><strong>${attendance.absent}</strong>${t('attendanceStatus.absent')}</div>
        <div><strong>${(attendance.attendees ?? []).filter((a) => a.attendance === null).length}</strong>${t('liveUi.console.notRecorded')}</div>
        <div><strong>${attendance.excused}</strong>${t('attendanceStatus.excused')}</div>
        <div><strong>${attendance.exempt}</strong>${t('attendanceStatus.exempt')}</div>
        <div><strong>${attendance.expected}</strong>${t('liveUi.console.expected')}</div>
      </div>
      ${errorBanner(this.error)}
      ${tableWrap(
        t('liveUi.console.attendance'),
        html`<table>
        <thead><tr><th>${t('common.name')}</th><th>${t('liveUi.console.checkIn')}</th><th>${t('common.status')}</th></tr></thead>
        <tbody>
          ${(attendance.attendees ?? []).map(
            (a) => html`<tr>
              <td>${a.name}</td>
              <td>${a.checkedIn ? html`<span class="badge ok">✓ ${t('liveUi.console.checkedIn')}</span>` : html`<span class="muted">—</span>`}</td>
              <td><select aria-label=${t('liveUi.console.statusOf', { name: a.name })} ?disabled=${this.busy}
                @change=${(e: Event) => this.mark(a.memberId, (e.target as HTMLSelectElement).value as AttendanceStatus)}>
                ${a.attendance === null ? html`<option value="" selected>${t('liveUi.console.notRecorded')}</option>` : nothing}
                ${attendanceStatuses.map((s) => html`<option value=${s} ?selected=${a.attendance === s}>${t(`attendanceStatus.${s}`)}</option>`)}
              </select></td>
            </tr>`,
          )}
        </tbody>
      </table>`,
      )}
      ${
        attendance.observers && attendance.observers.length > 0
          ? html`<h3>${t('liveUi.console.observers')}</h3>
            <ul class="names">${attendance.observers.map((o) => html`<li>${o.name} · ${o.joined ? t('liveUi.console.joined') : t('liveUi.console.notJoined')}</li>`)}</ul>`
          : nothing
      }
    `;
  }

  private mark(memberId: string, status: AttendanceStatus) {
    return this.run(() => api.put(this.url(`/attendance/${memberId}`), { status }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-console-attendance': MjConsoleAttendance;
  }
}
