import { css, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import type { MeetingStatus } from '../../shared/domain/enums.ts';
import { typesWithPreparation } from '../../shared/domain/meetings.ts';
import type { LeaveRequestView, MeetingDetail } from '../../shared/schemas/meetings.ts';
import { ActionController } from '../core/action.ts';
import { api } from '../core/api.ts';
import { errorBanner, field, formValues, isInvalid } from '../core/forms.ts';
import { formatDate, t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { baseStyles } from '../core/styles.ts';
import { listOf, pair, statusBadgeOf, timeRange, withNote } from './meeting-format.ts';
import { meetingStyles } from './styles.ts';
import '../core/mj-confirm-dialog.ts';
import type { MjConfirmDialog } from '../core/mj-confirm-dialog.ts';

/**
 * One meeting: what, when, where and who; the secretary's actions (edit, start, mark held,
 * cancel); leave — a member asks for it, the secretary approves or refuses; and the way to the
 * attendance sheet and the minutes.
 */
@customElement('mj-meeting-page')
export class MjMeetingPage extends MjPage {
  static override styles = [
    baseStyles,
    meetingStyles,
    css`
      .badges { display: flex; gap: 0.4rem; flex-wrap: wrap; margin: -0.5rem 0 1rem; }
      .links { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: 0.75rem; margin: 1rem 0; }
      .links a { min-height: 56px; font-weight: 600; }
      .actions { display: flex; gap: 0.5rem; flex-wrap: wrap; margin-bottom: 1rem; }
      ul.leave { list-style: none; padding: 0; margin: 0; }
      ul.leave li { border-top: 1px solid var(--mj-line); padding: 0.75rem 0; }
      ul.leave li:first-child { border-top: none; }
      ol { margin: 0; padding-left: 1.25rem; }
      .people { display: flex; flex-wrap: wrap; gap: 0.35rem 0.75rem; }
    `,
  ];
  @state() private meeting?: MeetingDetail;
  @state() private error: unknown;
  private readonly action = new ActionController(this);
  @state() private notice = '';
  @query('mj-confirm-dialog') private dialog!: MjConfirmDialog;

  override updated(changed: Map<string, unknown>) {
    if (changed.has('params')) void this.load();
  }

  private async load() {
    try {
      this.meeting = await api.get<MeetingDetail>(`/api/meetings/${this.params.id}`);
      this.error = undefined;
    } catch (err) {
      this.error = err;
    }
  }

  /** Runs an action, shows its error or a notice, and reloads the meeting. */
  private async run(action: () => Promise<unknown>, notice = t('common.saved')) {
    this.notice = '';
    if (await this.action.run(action)) {
      this.notice = notice;
      await this.load();
    }
  }

  override render() {
    if (this.error) return errorBanner(this.error);
    const m = this.meeting;
    if (!m) return html`<p class="muted">${t('common.loading')}</p>`;
    return html`
      <nav class="crumbs" aria-label=${t('meeting.breadcrumb')}>
        <a href="/orgs/${m.organizationId}">${m.organizationName}</a> ›
        <a href="/orgs/${m.organizationId}/meetings">${t('nav.meetings')}</a>
      </nav>
      <h1>${m.title}</h1>
      <div class="badges">
        <span class="badge">${t(`meetingType.${m.type}`)}</span> ${statusBadgeOf(m.status)}
        ${m.minutesLocked ? html`<span class="badge ok">${t('minutes.signedBadge')}</span>` : nothing}
      </div>
      ${m.status === 'cancelled' ? html`<div class="alert warn">${t('meeting.cancelledBecause', { reason: m.cancelledReason ?? '' })}</div>` : nothing}
      ${this.notice ? html`<div class="alert ok" role="status">${this.notice}</div>` : nothing}
      ${errorBanner(this.action.error)}
      ${m.me.canManage ? this.renderActions(m) : nothing}
      ${
        m.me.canViewRecord
          ? html`<div class="links">
            <a class="button" href="/meetings/${m.id}/attendance">${t('attendance.title')}</a>
            <a class="button" href="/meetings/${m.id}/minutes">${t('minutes.title')}</a>
            ${(m.includesAppraisal || m.type === 'memberAppraisal') && m.me.canManage ? html`<a class="button" href="/meetings/${m.id}/appraisal">${t('appraisal.sheetTitle')}</a>` : nothing}
            <a class="button" href="/meetings/${m.id}/quality">${t('quality.page.link')}</a>
          </div>`
          : nothing
      }
      ${this.renderFacts(m)} ${this.renderLeave(m)}
      <mj-confirm-dialog></mj-confirm-dialog>
    `;
  }

  private renderActions(m: MeetingDetail) {
    const move = (status: MeetingStatus, label: string) =>
      html`<button type="button" @click=${() => this.run(() => api.post(`/api/meetings/${m.id}/status`, { status }), t(`meetingStatus.${status}`))}>${label}</button>`;
    const open = m.status !== 'cancelled' && !m.minutesLocked;
    return html`<div class="actions">
      ${open ? html`<a class="button" href="/meetings/${m.id}/edit">${t('common.edit')}</a>` : nothing}
      ${m.status === 'scheduled' ? move('inProgress', t('meeting.start')) : nothing}
      ${m.status === 'scheduled' || m.status === 'inProgress' ? move('held', t('meeting.markHeld')) : nothing}
      ${m.status === 'scheduled' ? html`<button type="button" class="danger" @click=${this.cancel}>${t('meeting.cancel')}</button>` : nothing}
    </div>`;
  }

  private async cancel() {
    const reason = await this.dialog.ask({
      title: t('meeting.cancel'),
      message: t('meeting.cancelExplain'),
      reasonLabel: t('meeting.cancelReason'),
      confirmLabel: t('meeting.cancel'),
      danger: true,
    });
    if (reason !== null)
      await this.run(
        () => api.post(`/api/meetings/${this.meeting!.id}/cancel`, { reason }),
        t('meetingStatus.cancelled'),
      );
  }

  private renderFacts(m: MeetingDetail) {
    const preparation = typesWithPreparation.includes(m.type);
    const yesNo = (v: boolean | undefined) => (v ? `✓ ${t('common.yes')}` : `✗ ${t('common.no')}`);
    return html`<div class="card">
      <dl class="facts">
        <dt>${t('meeting.time')}</dt><dd>${timeRange(m.startsAt, m.endsAt)}</dd>
        <dt>${t('meeting.location')}</dt><dd>${withNote(m.location || '—', t(`meetingMode.${m.mode}`))}</dd>
        ${m.theme ? html`<dt>${t('meeting.theme')}</dt><dd>${m.theme}</dd>` : nothing}
        ${m.sessionNo ? html`<dt>${t('meeting.sessionNo')}</dt><dd>${m.sessionNo}</dd>` : nothing}
        <dt>${t('meeting.host')}</dt><dd>${m.host?.name ?? '—'}</dd>
        <dt>${t('meeting.recorder')}</dt><dd>${m.recorder?.name ?? '—'}</dd>
        ${m.includesAppraisal ? html`<dt>${t('meeting.appraisal')}</dt><dd>${t('meeting.includesAppraisal')}</dd>` : nothing}
        <dt>${t('meeting.agenda')}</dt>
        <dd>${m.agenda.length ? html`<ol>${m.agenda.map((a) => html`<li>${withNote(a.title, a.notes)}</li>`)}</ol>` : '—'}</dd>
        <dt>${t('meeting.invitees')}</dt>
        <dd>
          <details><summary>${t('meeting.inviteeCount', { n: m.invitees.length })}</summary>
            <div class="people">${m.invitees.map((i) => html`<span>${i.name}${i.status === 'probationaryMember' ? html` <span class="badge">${t('memberStatus.probationaryMember')}</span>` : nothing}</span>`)}</div>
          </details>
        </dd>
        <dt>${t('meeting.observers')}</dt>
        <dd>${listOf(m.observers.map((o) => withNote(o.name, o.affiliation)))}</dd>
        ${
          preparation
            ? html`<dt>${t('meeting.preparation')}</dt>
              <dd>
                ${(['studyHeld', 'talksHeld', 'opinionSolicitationHeld'] as const).map((f) => html`<div>${pair(t(`meeting.preparation.${f}`), yesNo(m.preparation[f]))}</div>`)}
                ${m.preparation.notes ? html`<div class="muted">${m.preparation.notes}</div>` : nothing}
              </dd>`
            : nothing
        }
      </dl>
    </div>`;
  }

  private renderLeave(m: MeetingDetail) {
    const mine = m.leaveRequests.find((l) => l.memberId === m.me.inviteeMemberId);
    const canAsk = !!m.me.inviteeMemberId && m.status === 'scheduled' && new Date(m.startsAt) > new Date();
    const others = m.leaveRequests.filter((l) => l !== mine);
    if (!canAsk && !mine && !(m.me.canManage && others.length)) return nothing;
    return html`<div class="card">
      <h2>${t('leave.title')}</h2>
      ${mine ? this.renderOwnLeave(mine, canAsk) : nothing}
      ${canAsk && (!mine || mine.status === 'rejected') ? this.renderAskForm(m, !!mine) : nothing}
      ${
        others.length
          ? html`<h3>${t('leave.requests')}</h3>
            <ul class="leave">${others.map((l) => this.renderRequest(l, m.me.canManage && !m.minutesLocked && m.status !== 'cancelled'))}</ul>`
          : nothing
      }
    </div>`;
  }

  private renderOwnLeave(l: LeaveRequestView, canWithdraw: boolean) {
    return html`<div class="alert ${l.status === 'approved' ? 'ok' : l.status === 'rejected' ? 'error' : 'warn'}">
      <strong>${pair(t('leave.mine'), t(`leaveStatus.${l.status}`))}</strong>
      <div>${pair(t('leave.reason'), l.reason)}</div>
      ${l.decisionNote ? html`<div>${pair(t('leave.decisionNote'), l.decisionNote)}</div>` : nothing}
      ${
        canWithdraw && l.status !== 'rejected'
          ? html`<p><button type="button" @click=${() => this.run(() => api.delete(`/api/leave-requests/${l.id}`), t('leave.withdrawn'))}>${t('leave.withdraw')}</button></p>`
          : nothing
      }
    </div>`;
  }

  private renderAskForm(m: MeetingDetail, again: boolean) {
    const e = this.action.error;
    return html`<form @submit=${(ev: SubmitEvent) => this.askLeave(ev, m)} novalidate>
      ${field('leaveReason', t(again ? 'leave.askAgain' : 'leave.reasonLabel'), html`<textarea id="leaveReason" name="reason" maxlength="500" aria-invalid=${isInvalid(e, 'reason')}></textarea>`, { error: e, name: 'reason' })}
      <button class="primary" type="submit">${t('leave.ask')}</button>
    </form>`;
  }

  private askLeave(event: SubmitEvent, m: MeetingDetail) {
    event.preventDefault();
    const { reason } = formValues(event.target as HTMLFormElement);
    return this.run(
      () => api.post(`/api/meetings/${m.id}/leave`, { memberId: m.me.inviteeMemberId, reason }),
      t('leave.sent'),
    );
  }

  private renderRequest(l: LeaveRequestView, canDecide: boolean) {
    const noteId = `decision-note-${l.id}`;
    const decide = (decision: 'approved' | 'rejected') => () => {
      const note = this.renderRoot.querySelector<HTMLInputElement>(`#${noteId}`)?.value.trim() ?? '';
      return this.run(() =>
        api.post(`/api/leave-requests/${l.id}/decision`, { decision, note: note || null }),
      );
    };
    return html`<li>
      <div class="row">
        <strong>${l.memberName}</strong>
        <span class="badge ${l.status === 'approved' ? 'ok' : l.status === 'rejected' ? 'danger' : 'warn'}">${t(`leaveStatus.${l.status}`)}</span>
        <span class="muted small">${formatDate(l.createdAt, true)}</span>
      </div>
      <div>${pair(t('leave.reason'), l.reason)}</div>
      ${l.decidedByName ? html`<div class="muted small">${withNote(t('leave.decidedBy', { name: l.decidedByName, at: formatDate(l.decidedAt, true) }), l.decisionNote)}</div>` : nothing}
      ${
        canDecide
          ? html`<div class="row" style="margin-top: 0.5rem">
            <input id=${noteId} aria-label=${t('leave.decisionNote')} placeholder=${t('leave.decisionNote')} maxlength="500" style="flex: 1 1 12rem" />
            ${l.status !== 'approved' ? html`<button type="button" class="primary" @click=${decide('approved')}>${t('leave.approve')}</button>` : nothing}
            ${l.status !== 'rejected' ? html`<button type="button" @click=${decide('rejected')}>${t('leave.reject')}</button>` : nothing}
          </div>`
          : nothing
      }
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-meeting-page': MjMeetingPage;
  }
}
