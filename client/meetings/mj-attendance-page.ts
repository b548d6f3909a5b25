import { css, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { type AttendanceStatus, attendanceStatuses } from '../../shared/domain/enums.ts';
import { attendanceCounts, computeQuorum } from '../../shared/domain/quorum.ts';
import type { AttendanceView, MeetingDetail } from '../../shared/schemas/meetings.ts';
import { ActionController } from '../core/action.ts';
import { api } from '../core/api.ts';
import { errorBanner } from '../core/forms.ts';
import { formatDate, t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { baseStyles } from '../core/styles.ts';
import { statusBadgeOf } from './meeting-format.ts';
import { meetingStyles } from './styles.ts';
import '../core/mj-confirm-dialog.ts';
import type { MjConfirmDialog } from '../core/mj-confirm-dialog.ts';
import { askAmendmentReason } from '../minutes/amendment-reason.ts';
import './mj-quorum-indicator.ts';

type Attendee = AttendanceView['attendees'][number];

/** The view with some marks applied before the server has answered, counts and quorum recomputed. */
function withMarks(view: AttendanceView, marks: Map<string, AttendanceStatus>): AttendanceView {
  const attendees = view.attendees.map((a) =>
    marks.has(a.memberId) ? { ...a, attendance: marks.get(a.memberId)! } : a,
  );
  return {
    ...view,
    attendees,
    counts: attendanceCounts(attendees.map((a) => a.attendance)),
    quorum: computeQuorum(
      view.type,
      attendees.map((a) => ({
        status: a.memberStatus,
        onCommittee: a.committeeRole !== null,
        attendance: a.attendance,
      })),
    ),
  };
}

/**
 * The attendance sheet (签到/出勤登记): one row per invitee with four large buttons; every tap is
 * saved at once and the quorum indicator follows it live. Once the minutes are locked, a change
 * asks for a reason and becomes an amendment of the minutes.
 */
@customElement('mj-attendance-page')
export class MjAttendancePage extends MjPage {
  static override styles = [
    baseStyles,
    meetingStyles,
    css`
      mj-quorum-indicator { position: sticky; top: 0; z-index: 1; margin-bottom: 1rem; }
      ul.sheet { list-style: none; margin: 0; padding: 0; }
      ul.sheet li { background: #fff; border: 1px solid var(--mj-line); border-radius: var(--mj-radius); padding: 0.75rem; }
      ul.sheet li + li { margin-top: 0.5rem; }
      .who { display: flex; flex-wrap: wrap; gap: 0.35rem; align-items: center; margin-bottom: 0.5rem; }
      .who strong { font-size: 1.1rem; margin-right: 0.25rem; }
      .choices { display: grid; grid-template-columns: repeat(4, 1fr); gap: 0.35rem; }
      .choices button { padding: 0.25rem; font-size: 0.95rem; }
      .choices button[aria-pressed='true'] { color: #fff; font-weight: 700; }
      .choices button.present[aria-pressed='true'] { background: var(--mj-ok); border-color: var(--mj-ok); }
      .choices button.absent[aria-pressed='true'] { background: var(--mj-danger); border-color: var(--mj-danger); }
      .choices button.excused[aria-pressed='true'] { background: var(--mj-warn); border-color: var(--mj-warn); }
      .choices button.exempt[aria-pressed='true'] { background: var(--mj-muted); border-color: var(--mj-muted); }
      .note { margin-top: 0.5rem; }
      .info { font-size: 0.875rem; color: var(--mj-muted); }
    `,
  ];
  @state() private view?: AttendanceView;
  @state() private meeting?: MeetingDetail;
  @state() private error: unknown;
  private readonly saving = new ActionController(this);
  @state() private pending = new Map<string, AttendanceStatus>();
  @query('mj-confirm-dialog') private dialog!: MjConfirmDialog;

  override updated(changed: Map<string, unknown>) {
    if (changed.has('params')) void this.load();
  }

  private async load() {
    try {
      const [meeting, view] = await Promise.all([
        api.get<MeetingDetail>(`/api/meetings/${this.params.id}`),
        api.get<AttendanceView>(`/api/meetings/${this.params.id}/attendance`),
      ]);
      this.meeting = meeting;
      this.view = view;
      this.error = undefined;
    } catch (err) {
      this.error = err;
    }
  }

  /** Saves marks; on locked minutes first asks why (the server keeps it with the amendment). */
  private async save(entries: Array<{ memberId: string; status: AttendanceStatus; note: string | null }>) {
    const reason = await askAmendmentReason(this.dialog, this.view!.locked, {
      title: t('attendance.amendTitle'),
      confirmLabel: t('common.save'),
    });
    if (reason === null) return;
    this.pending = new Map([...this.pending, ...entries.map((e) => [e.memberId, e.status] as const)]);
    await this.saving.run(async () => {
      this.view = await api.put<AttendanceView>(`/api/meetings/${this.params.id}/attendance`, {
        entries,
        ...(reason ? { reason } : {}),
      });
    });
    const pending = new Map(this.pending);
    for (const e of entries) pending.delete(e.memberId);
    this.pending = pending;
  }

  private mark(a: Attendee, status: AttendanceStatus) {
    if (a.attendance === status) return;
    return this.save([{ memberId: a.memberId, status, note: a.note }]);
  }

  private saveNote(a: Attendee, note: string) {
    if ((a.note ?? '') === note || !a.attendance) return;
    return this.save([{ memberId: a.memberId, status: a.attendance, note: note || null }]);
  }

  private markRestPresent() {
    const rest = this.view!.attendees.filter((a) => a.attendance === null);
    return this.save(rest.map((a) => ({ memberId: a.memberId, status: 'present', note: null })));
  }

  override render() {
    if (this.error) return errorBanner(this.error);
    const m = this.meeting;
    if (!m || !this.view) return html`<p class="muted">${t('common.loading')}</p>`;
    const view = withMarks(this.view, this.pending);
    return html`
      <nav class="crumbs" aria-label=${t('meeting.breadcrumb')}>
        <a href="/orgs/${m.organizationId}/meetings">${t('nav.meetings')}</a> › <a href="/meetings/${m.id}">${m.title}</a>
      </nav>
      <div class="row"><h1>${t('attendance.title')}</h1> ${statusBadgeOf(m.status)}</div>
      ${view.locked ? html`<div class="alert warn">${t('minutes.lockedExplain')}</div>` : nothing}
      ${errorBanner(this.saving.error)}
      <mj-quorum-indicator .counts=${view.counts} .quorum=${view.quorum}></mj-quorum-indicator>
      ${
        view.canMark && view.counts.unmarked > 0 && !view.locked
          ? html`<p><button type="button" @click=${this.markRestPresent}>${t('attendance.markRestPresent', { n: view.counts.unmarked })}</button></p>`
          : nothing
      }
      <ul class="sheet">${view.attendees.map((a) => this.renderAttendee(a, view.canMark))}</ul>
      <p><a class="button" href="/meetings/${m.id}/minutes">${t('minutes.title')} →</a></p>
      <mj-confirm-dialog></mj-confirm-dialog>
    `;
  }

  private renderAttendee(a: Attendee, canMark: boolean) {
    const noteId = `note-${a.memberId}`;
    return html`<li>
      <div class="who">
        <strong>${a.name}</strong>
        ${a.committeeRole ? html`<span class="badge">${t(`committeeRole.${a.committeeRole}`)}</span>` : nothing}
        ${a.memberStatus === 'probationaryMember' ? html`<span class="badge">${t('memberStatus.probationaryMember')}</span>` : nothing}
        ${!canMark ? html`<span class="badge">${a.attendance ? t(`attendanceStatus.${a.attendance}`) : t('attendance.unmarked')}</span>` : nothing}
      </div>
      ${a.checkedInAt ? html`<div class="info">${t('attendance.checkedInAt', { at: formatDate(a.checkedInAt, true) })}</div>` : nothing}
      ${a.leave ? html`<div class="info">${t('attendance.leaveInfo', { status: t(`leaveStatus.${a.leave.status}`), reason: a.leave.reason })}</div>` : nothing}
      ${a.exemption ? html`<div class="info">${t('attendance.exemptionInfo', { reason: t(`exemptionReason.${a.exemption.reason}`) })}</div>` : nothing}
      ${
        canMark
          ? html`<div class="choices" role="group" aria-label=${t('attendance.markFor', { name: a.name })}>
              ${attendanceStatuses.map(
                (s) =>
                  html`<button type="button" class=${s} aria-pressed=${a.attendance === s ? 'true' : 'false'} @click=${() => this.mark(a, s)}>${t(`attendanceStatus.${s}`)}</button>`,
              )}
            </div>
            ${
              a.attendance && a.attendance !== 'present'
                ? html`<div class="note">
                  <label class="visually-hidden" for=${noteId}>${t('attendance.noteFor', { name: a.name })}</label>
                  <input id=${noteId} .value=${a.note ?? ''} maxlength="500" placeholder=${t('attendance.notePlaceholder')}
                    @change=${(ev: Event) => this.saveNote(a, (ev.target as HTMLInputElement).value.trim())} />
                </div>`
                : nothing
            }`
          : a.note
            ? html`<div class="info">${a.note}</div>`
            : nothing
      }
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-attendance-page': MjAttendancePage;
  }
}
