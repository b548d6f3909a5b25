import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { type AppraisalGrade, appraisalGrades } from '../../shared/domain/enums.ts';
import type { AppraisalSheet, SheetMember } from '../../shared/schemas/appraisal.ts';
import { ActionController } from '../core/action.ts';
import { ApiError, api } from '../core/api.ts';
import { errorBanner, field, fieldError } from '../core/forms.ts';
import { t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { baseStyles } from '../core/styles.ts';
import { pair } from '../meetings/meeting-format.ts';
import { appraisalStyles, distributionView, gradeBadge, when } from './format.ts';
import './mj-feedback-form.ts';

interface Draft {
  grade: AppraisalGrade | null;
  note: string;
}

/**
 * 组织评定: the branch committee's sheet after the ballot. Each full member's ballot distribution
 * stands beside an empty choice the committee makes itself ("不唯票数"); probationary members are
 * listed as not graded; more 优秀 than a third of the full members asks for a reason before it can
 * be saved. Below each member: the history of determinations, feedback to the member and their
 * responses, and the disposition of a 不合格. One layout: a table-like grid on a laptop, stacked
 * cards on a phone.
 */
@customElement('mj-appraisal-sheet')
export class MjAppraisalSheet extends MjPage {
  static override styles = [
    baseStyles,
    appraisalStyles,
    css`
      .summary { display: grid; grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr)); gap: 0.75rem; }
      .summary .card { margin: 0; }
      .summary h2 { margin-top: 0; }
      .summary .field { margin: 0.5rem 0 0; }
      .summary .big { font-size: 1.6rem; font-weight: 700; font-variant-numeric: tabular-nums; }
      .summary .big.over { color: var(--mj-danger); }
      .links { display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 1rem 0; }
      ol.members { list-style: none; padding: 0; margin: 1rem 0; }
      li.member {
        display: grid;
        grid-template-columns: minmax(8rem, 12rem) minmax(11rem, 14rem) 1fr;
        grid-template-areas: 'who ballot choice' 'who ballot note' 'more more more';
        gap: 0.5rem 1rem;
        background: var(--mj-card);
        border: 1px solid var(--mj-line);
        border-radius: var(--mj-radius);
        padding: 0.75rem 1rem;
      }
      li.member + li.member { margin-top: 0.5rem; }
      li.member.changed { border-color: var(--mj-focus); box-shadow: inset 4px 0 0 var(--mj-focus); }
      li.member.not-graded { background: #f6f8fa; grid-template-areas: 'who ballot choice'; }
      .who { grid-area: who; overflow-wrap: anywhere; }
      .who strong { font-size: 1.05rem; }
      .ballot { grid-area: ballot; }
      .choice { grid-area: choice; }
      .note { grid-area: note; }
      .more { grid-area: more; }
      .choices { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 0.4rem; border: none; padding: 0; margin: 0; min-width: 0; }
      .choices label {
        display: flex; align-items: center; justify-content: center; gap: 0.35rem;
        min-height: 44px; margin: 0; padding: 0.25rem 0.4rem;
        border: 1px solid var(--mj-line); border-radius: 8px; background: #fff;
        font-weight: 600; cursor: pointer; text-align: center; line-height: 1.2;
      }
      .choices label:has(input:checked) { border-width: 2px; }
      .choices label.grade-excellent:has(input:checked) { background: #fff1e5; border-color: #fb8f44; color: #953800; }
      .choices label.grade-qualified:has(input:checked) { background: #dafbe1; border-color: #4ac26b; color: #116329; }
      .choices label.grade-basicallyQualified:has(input:checked) { background: #fff8c5; border-color: #d4a72c; color: #7d4e00; }
      .choices label.grade-unqualified:has(input:checked) { background: #ffebe9; border-color: #cf222e; color: #82071e; }
      .choices label:focus-within { outline: 3px solid var(--mj-focus); outline-offset: 2px; }
      .choices input { position: absolute; opacity: 0; width: 1px; height: 1px; }
      .choice-tools { display: flex; justify-content: space-between; align-items: center; gap: 0.5rem; margin-top: 0.25rem; min-height: 1.5rem; }
      .choice-tools button.link { min-height: 44px; padding: 0 0.5rem; }
      .note input { min-height: 40px; }
      .error { color: var(--mj-danger); font-size: 0.875rem; }
      details { border-top: 1px dashed var(--mj-line); padding-top: 0.4rem; }
      p.disposition { margin: 0 0 0.5rem; }
      p.disposition a { border-color: var(--mj-danger); color: #82071e; }
      summary { cursor: pointer; min-height: 44px; display: flex; align-items: center; gap: 0.5rem; flex-wrap: wrap; }
      .follow { display: flex; flex-wrap: wrap; gap: 0.35rem 0.75rem; align-items: center; font-size: 0.9rem; }
      .panel { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 1rem; padding: 0.5rem 0; }
      .panel h3 { margin-top: 0; font-size: 1rem; }
      /* Sticks to the bottom of the screen while the list scrolls, and rests after the last member. */
      .savebar {
        position: sticky; bottom: 0; z-index: 5;
        display: flex; gap: 0.5rem 0.75rem; align-items: center; flex-wrap: wrap;
        background: #fff; border: 1px solid var(--mj-line); border-radius: var(--mj-radius);
        box-shadow: 0 -2px 8px rgba(0, 0, 0, 0.08); padding: 0.5rem 0.75rem;
      }
      .savebar .alert { margin: 0; }
      @media (max-width: 700px) {
        li.member, li.member.not-graded { grid-template-columns: 1fr; grid-template-areas: 'who' 'ballot' 'choice' 'note' 'more'; }
        .choices { grid-template-columns: repeat(2, minmax(0, 1fr)); }
      }
    `,
  ];
  @state() private sheet?: AppraisalSheet;
  @state() private error: unknown;
  @state() private drafts = new Map<string, Draft>();
  @state() private reason: string | null = null;
  @state() private notice = '';
  /** The order members were sent in, to place field errors (`determinations.3.grade`) on their rows. */
  private sent: string[] = [];
  private readonly save = new ActionController(this);

  override updated(changed: Map<string, unknown>) {
    if (changed.has('params')) void this.load();
  }

  private async load() {
    try {
      this.sheet = await api.get<AppraisalSheet>(`/api/meetings/${this.params.id}/appraisal`);
      this.error = undefined;
    } catch (err) {
      this.error = err;
    }
  }

  private choiceOf(member: SheetMember): Draft {
    return (
      this.drafts.get(member.memberId) ?? {
        grade: member.determination?.grade ?? null,
        note: member.determination?.note ?? '',
      }
    );
  }

  private edit(member: SheetMember, change: Partial<Draft>) {
    const next = { ...this.choiceOf(member), ...change };
    const drafts = new Map(this.drafts);
    const unchanged =
      next.grade === (member.determination?.grade ?? null) &&
      next.note === (member.determination?.note ?? '');
    if (unchanged) drafts.delete(member.memberId);
    else drafts.set(member.memberId, next);
    this.drafts = drafts;
    this.notice = '';
  }

  override render() {
    if (this.error) return errorBanner(this.error);
    const sheet = this.sheet;
    if (!sheet) return html`<p class="muted">${t('common.loading')}</p>`;
    const { meeting } = sheet;
    return html`
      <nav class="crumbs" aria-label=${t('meeting.breadcrumb')}>
        <a href="/orgs/${meeting.organizationId}">${meeting.organizationName}</a> ›
        <a href="/orgs/${meeting.organizationId}/appraisals">${t('nav.appraisals')}</a> ›
        <a href="/meetings/${meeting.id}">${meeting.title}</a>
      </nav>
      <h1>${t('appraisal.sheetTitle')}</h1>
      <p class="muted">${t('appraisal.sheetIntro')}</p>
      ${sheet.blockedBy ? html`<div class="alert warn" role="status">${t(`error.${sheet.blockedBy}`)}</div>` : nothing}
      ${this.renderSummary(sheet)}
      <div class="links">
        <a class="button" href="/meetings/${meeting.id}/appraisal/report">${t('appraisal.report.open')}</a>
        ${
          sheet.lastReport
            ? html`<span class="muted small">${t('appraisal.report.sentOn', { at: when(sheet.lastReport.submittedAt) })}</span>`
            : nothing
        }
      </div>
      ${this.notice ? html`<div class="alert ok" role="status">${this.notice}</div>` : nothing}
      <ol class="members">${sheet.members.map((m) => this.renderMember(sheet, m))}</ol>
      ${this.renderSaveBar(sheet)}
    `;
  }

  private excellentNow(sheet: AppraisalSheet): number {
    return sheet.members.filter((m) => !m.notGraded && this.choiceOf(m).grade === 'excellent').length;
  }

  private renderSummary(sheet: AppraisalSheet) {
    const { ballot, rules } = sheet;
    const excellent = this.excellentNow(sheet);
    const determined = sheet.members.filter((m) => !m.notGraded && this.choiceOf(m).grade).length;
    return html`<div class="summary">
      <section class="card" aria-labelledby="ballot-h">
        <h2 id="ballot-h" class="small muted">${t('appraisal.ballot')}</h2>
        ${
          ballot
            ? html`<div class="big">${t('appraisal.ballotCount', { count: ballot.n })}</div>
              <p class="small muted">${t('appraisal.ballotSealed', { at: when(ballot.closedAt) })}</p>
              ${ballot.suppressed ? html`<p class="small">${t('appraisal.tooFewBallots', { k: ballot.k })}</p>` : nothing}`
            : html`<p>${t('appraisal.noBallot')}</p>`
        }
        <p class="small muted">${t('appraisal.ballotIsInput')}</p>
      </section>
      <section class="card" aria-labelledby="rule-h">
        <h2 id="rule-h" class="small muted">${t('appraisal.excellentRule')}</h2>
        <div class="big ${excellent > rules.excellentCap ? 'over' : ''}">${excellent} / ${rules.excellentCap}</div>
        <p class="small muted">${t('appraisal.excellentRuleDetail', { full: rules.fullMembers, cap: rules.excellentCap })}</p>
        ${rules.referralEnabled ? html`<p class="small muted">${t('appraisal.referralOn')}</p>` : nothing}
        ${this.renderReason(sheet, excellent > rules.excellentCap)}
      </section>
      <section class="card" aria-labelledby="progress-h">
        <h2 id="progress-h" class="small muted">${t('appraisal.progress')}</h2>
        <div class="big">${determined} / ${rules.fullMembers}</div>
        <p class="small muted">${t('appraisal.progressDetail')}</p>
      </section>
    </div>`;
  }

  private rowError(member: SheetMember, field: 'grade' | 'note' | 'memberId'): string | undefined {
    const index = this.sent.indexOf(member.memberId);
    return index < 0 ? undefined : fieldError(this.save.error, `determinations.${index}.${field}`);
  }

  private renderMember(sheet: AppraisalSheet, member: SheetMember) {
    const blocked = !!sheet.blockedBy;
    const value = this.choiceOf(member);
    const headingId = `m-${member.memberId}`;
    const who = html`<div class="who">
      <strong id=${headingId}>${member.name}</strong>
      ${member.status === 'probationaryMember' ? html`<div class="small muted">${t('memberStatus.probationaryMember')}</div>` : nothing}
      ${member.referral ? html`<div class="flag">⚑ ${t('appraisal.referral')}</div>` : nothing}
    </div>`;
    if (member.notGraded)
      return html`<li class="member not-graded" aria-labelledby=${headingId}>
        ${who}
        <div class="ballot"><span class="muted small">—</span></div>
        <div class="choice muted">${t(`notGraded.${member.notGraded}`)}</div>
      </li>`;
    const gradeError = this.rowError(member, 'grade');
    return html`<li class="member ${this.drafts.has(member.memberId) ? 'changed' : ''}" aria-labelledby=${headingId}>
      ${who}
      <div class="ballot">
        <div class="small muted">${t('appraisal.ballotOnMember')}</div>
        ${distributionView(member.distribution)}
      </div>
      <div class="choice">
        <fieldset class="choices" ?disabled=${blocked}>
          <legend class="visually-hidden">${t('appraisal.determinationFor', { name: member.name })}</legend>
          ${appraisalGrades.map(
            (g) => html`<label class="grade-${g}">
              <input type="radio" name="grade-${member.memberId}" value=${g} .checked=${value.grade === g}
                @change=${() => this.edit(member, { grade: g })} />
              ${t(`appraisalGrade.${g}`)}
            </label>`,
          )}
        </fieldset>
        <div class="choice-tools">
          <span class="small">${
            gradeError
              ? html`<span class="error" role="alert">${gradeError}</span>`
              : value.grade
                ? nothing
                : html`<span class="muted">${t('appraisal.notYetDetermined')}</span>`
          }</span>
          ${
            value.grade && !blocked
              ? html`<button type="button" class="link small" @click=${() => this.edit(member, { grade: null })}>${t('appraisal.clearGrade')}</button>`
              : nothing
          }
        </div>
      </div>
      <div class="note">
        <label class="visually-hidden" for="note-${member.memberId}">${t('appraisal.noteFor', { name: member.name })}</label>
        <input id="note-${member.memberId}" .value=${value.note} maxlength="1000" ?disabled=${blocked}
          placeholder=${t('appraisal.notePlaceholder')}
          @input=${(e: InputEvent) => this.edit(member, { note: (e.target as HTMLInputElement).value })} />
      </div>
      <div class="more">${this.renderMore(sheet, member)}</div>
    </li>`;
  }

  /** The disposition of a 不合格, then history, feedback and responses folded away until wanted. */
  private renderMore(sheet: AppraisalSheet, member: SheetMember) {
    const feedback = member.feedback;
    // Outside the fold: a link inside <summary> would also toggle it, and this one matters.
    const disposition = member.disposition
      ? html`<p class="disposition"><a class="button" href="/appraisal/dispositions/${member.disposition.id}">${t(
          'appraisal.disposition.link',
          { state: t(`dispositionState.${member.disposition.state}`) },
        )}</a></p>`
      : nothing;
    return html`${disposition}<details>
      <summary>
        <span class="follow">
          ${
            feedback
              ? feedback.current
                ? html`<span class="badge ok">✓ ${t('appraisal.feedback.given', { date: when(feedback.givenOn) })}</span>`
                : html`<span class="badge warn">${t('appraisal.feedback.outdated')}</span>`
              : html`<span class="badge">${t('appraisal.feedback.notGiven')}</span>`
          }
          ${member.responses.length ? html`<span class="badge warn">${t('appraisal.responses.count', { count: member.responses.length })}</span>` : nothing}
        </span>
      </summary>
      <div class="panel">
        <section>
          <h3>${t('appraisal.feedback.title')}</h3>
          ${
            feedback
              ? html`<p>${pair(t('appraisal.feedback.told'), '')}${gradeBadge(feedback.grade)}</p>
                <p class="small">${t(`feedbackMethod.${feedback.method}`)} · ${when(feedback.givenOn)}${feedback.recordedByName ? ` · ${feedback.recordedByName}` : ''}</p>
                ${feedback.note ? html`<p class="note-line small">${feedback.note}</p>` : nothing}`
              : nothing
          }
          ${
            member.determination
              ? html`<mj-feedback-form .meetingId=${sheet.meeting.id} .member=${member} @saved=${this.feedbackSaved}></mj-feedback-form>`
              : html`<p class="muted small">${t('appraisal.feedback.needsDetermination')}</p>`
          }
        </section>
        <section>
          <h3>${t('appraisal.responses.title')}</h3>
          ${
            member.responses.length
              ? html`<ul class="responses">${member.responses.map(
                  (
                    r,
                  ) => html`<li><span class="small muted">${when(r.submittedAt)}${r.aboutGrade ? html` · ${t('appraisal.responses.about')} ${gradeBadge(r.aboutGrade)}` : nothing}</span>
                    <div class="note-line">${r.text}</div></li>`,
                )}</ul>`
              : html`<p class="muted small">${t('appraisal.responses.none')}</p>`
          }
          <h3>${t('appraisal.history')}</h3>
          ${
            member.history.length
              ? html`<ol class="history">${member.history.map(
                  (
                    h,
                  ) => html`<li>${gradeBadge(h.grade)} <span class="small muted">${when(h.decidedAt)}${h.decidedByName ? ` · ${h.decidedByName}` : ''}</span>
                    ${h.note ? html`<div class="small note-line">${h.note}</div>` : nothing}</li>`,
                )}</ol>`
              : html`<p class="muted small">${t('appraisal.historyEmpty')}</p>`
          }
        </section>
      </div>
    </details>`;
  }

  /** The reason for exceeding the ⅓ rule: asked for while over it, kept visible once recorded. */
  private renderReason(sheet: AppraisalSheet, over: boolean) {
    if (!over && !sheet.rules.excellentOverrideReason) return nothing;
    const e = this.save.error;
    return field(
      'override-reason',
      t('appraisal.overrideReason'),
      html`<textarea id="override-reason" maxlength="1000" rows="2"
        .value=${this.reason ?? sheet.rules.excellentOverrideReason ?? ''}
        aria-invalid=${fieldError(e, 'excellentOverrideReason') ? 'true' : 'false'}
        @input=${(ev: InputEvent) => (this.reason = (ev.target as HTMLTextAreaElement).value)}></textarea>`,
      { error: e, name: 'excellentOverrideReason', hint: over ? t('appraisal.overrideHint') : undefined },
    );
  }

  private renderSaveBar(sheet: AppraisalSheet) {
    const e = this.save.error;
    const marked = e instanceof ApiError && Object.keys(e.fields).length > 0;
    return html`<div class="savebar">
      <span class="muted">${this.drafts.size ? t('appraisal.unsaved', { count: this.drafts.size }) : t('appraisal.allSaved')}</span>
      <span class="spacer"></span>
      ${marked ? html`<span class="error" role="alert">${t('appraisal.fixMarked')}</span>` : errorBanner(e)}
      <button type="button" class="primary" ?disabled=${this.save.busy || !!sheet.blockedBy || (!this.drafts.size && this.reason === null)}
        @click=${this.saveAll}>${t('appraisal.save')}</button>
    </div>`;
  }

  private async saveAll() {
    const sheet = this.sheet!;
    const entries = [...this.drafts].map(([memberId, d]) => ({
      memberId,
      grade: d.grade,
      note: d.note.trim() || null,
    }));
    this.sent = entries.map((e) => e.memberId);
    const body: Record<string, unknown> = { determinations: entries };
    if (this.reason !== null) body.excellentOverrideReason = this.reason.trim() || null;
    const ok = await this.save.run(() =>
      api.put<{ changed: number }>(`/api/meetings/${sheet.meeting.id}/appraisal/determinations`, body),
    );
    if (!ok) {
      // The reason sits at the top of the sheet; take the committee there.
      if (fieldError(this.save.error, 'excellentOverrideReason')) {
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLElement>('#override-reason')?.focus();
      }
      return;
    }
    this.drafts = new Map();
    this.reason = null;
    this.sent = [];
    await this.load();
    this.notice = t('appraisal.saved', { count: entries.length });
  }

  private async feedbackSaved() {
    await this.load();
    this.notice = t('appraisal.feedback.saved');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-appraisal-sheet': MjAppraisalSheet;
  }
}
