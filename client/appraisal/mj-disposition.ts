import { css, html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import {
  approvalDecisions,
  type DispositionKind,
  dispositionKinds,
  dispositionOutcomes,
  oneYearAfter,
  outcomeRequires,
} from '../../shared/domain/appraisal.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { moreThanHalf } from '../../shared/domain/quorum.ts';
import type { DispositionStep, DispositionView } from '../../shared/schemas/appraisal.ts';
import { ActionController } from '../core/action.ts';
import { api } from '../core/api.ts';
import { errorBanner, field, formValues, isInvalid } from '../core/forms.ts';
import { t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { baseStyles } from '../core/styles.ts';
import { pair } from '../meetings/meeting-format.ts';
import { appraisalStyles, when } from './format.ts';

const stepBadge: Record<DispositionStep['state'], string> = {
  voteFailed: 'danger',
  awaitingApproval: 'warn',
  approved: 'ok',
  notApproved: 'danger',
};

/**
 * 组织处置 of a member determined 不合格: the education and help given first, then each decision of
 * the branch general meeting — its vote against the members expected with a vote, read from that
 * meeting's attendance — and the superior organization's approval, until the disposition closes
 * with its outcome. Every form says beforehand what the rules require.
 */
@customElement('mj-disposition')
export class MjDisposition extends MjPage {
  static override styles = [
    baseStyles,
    appraisalStyles,
    css`
      :host { max-width: 900px; margin: 0 auto; }
      .state { margin: -0.5rem 0 1rem; display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; }
      ol.steps { list-style: none; padding: 0; margin: 0; }
      ol.steps > li { border-left: 4px solid var(--mj-line); padding: 0.25rem 0 0.75rem 1rem; margin-left: 0.25rem; }
      ol.steps > li.ok { border-left-color: var(--mj-ok); }
      ol.steps > li.warn { border-left-color: #d4a72c; }
      ol.steps > li.danger { border-left-color: var(--mj-danger); }
      ol.steps h3 { margin: 0 0 0.25rem; display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; }
      .votes { display: flex; gap: 1rem; flex-wrap: wrap; font-variant-numeric: tabular-nums; }
      .three { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 0 0.75rem; }
      .two { display: grid; grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr)); gap: 0 1rem; }
      .hint-box { background: #f6f8fa; border-radius: 8px; padding: 0.5rem 0.75rem; margin-bottom: 1rem; font-size: 0.95rem; }
      form { margin-top: 0.75rem; }
      summary { cursor: pointer; min-height: 44px; display: flex; align-items: center; color: var(--mj-focus); }
    `,
  ];
  @state() private view?: DispositionView;
  @state() private error: unknown;
  @state() private notice = '';
  @state() private kind: DispositionKind = 'correctionWithinDeadline';
  @state() private meetingId = '';
  private readonly education = new ActionController(this);
  private readonly stepAction = new ActionController(this);
  private readonly approval = new ActionController(this);
  private readonly closing = new ActionController(this);

  override updated(changed: Map<string, unknown>) {
    if (changed.has('params')) void this.load();
  }

  private async load() {
    try {
      this.view = await api.get<DispositionView>(`/api/appraisal/dispositions/${this.params.id}`);
      this.meetingId ||= this.view.voteMeetings[0]?.id ?? '';
      this.error = undefined;
    } catch (err) {
      this.error = err;
    }
  }

  private async run(action: ActionController, request: () => Promise<unknown>, form?: HTMLFormElement) {
    this.notice = '';
    if (!(await action.run(request))) return;
    form?.reset();
    await this.load();
    this.notice = t('common.saved');
  }

  override render() {
    if (this.error) return errorBanner(this.error);
    const d = this.view;
    if (!d) return html`<p class="muted">${t('common.loading')}</p>`;
    return html`
      <nav class="crumbs">
        <a href="/orgs/${d.organizationId}">${d.organizationName}</a> ›
        <a href="/meetings/${d.meeting.id}/appraisal">${t('appraisal.sheetTitle')}</a>
      </nav>
      <h1>${t('appraisal.disposition.title', { name: d.member.name })}</h1>
      <div class="state">
        <span class="badge ${d.state === 'closed' ? 'ok' : 'warn'}">${t(`dispositionState.${d.state}`)}</span>
        <span class="muted small">${d.meeting.title} · ${when(d.meeting.startsAt)}</span>
      </div>
      <p class="muted">${t('appraisal.disposition.intro')}</p>
      ${this.notice ? html`<div class="alert ok" role="status">${this.notice}</div>` : nothing}
      ${this.renderEducation(d)}
      <section class="card">
        <h2>${t('appraisal.disposition.decisions')}</h2>
        ${
          d.steps.length
            ? html`<ol class="steps">${d.steps.map((s) => this.renderStep(d, s))}</ol>`
            : html`<p class="muted">${t('appraisal.disposition.noDecisions')}</p>`
        }
        ${
          d.nextStepBlockedBy
            ? html`<p class="muted small">${t(`error.${d.nextStepBlockedBy}`)}</p>`
            : d.steps.length
              ? html`<details><summary>${t('appraisal.disposition.anotherDecision')}</summary>${this.renderStepForm(d)}</details>`
              : this.renderStepForm(d)
        }
      </section>
      ${this.renderClosing(d)}
    `;
  }

  private renderEducation(d: DispositionView) {
    const editable = d.state !== 'closed';
    return html`<section class="card">
      <h2>${t('appraisal.disposition.education')}</h2>
      ${
        d.education
          ? html`<p>${pair(t('appraisal.disposition.educationSince'), when(d.education.startedOn))}</p>
            <p class="note-line">${d.education.measures}</p>`
          : html`<p class="muted">${t('appraisal.disposition.educationFirst')}</p>`
      }
      ${
        !editable
          ? nothing
          : d.education
            ? html`<details><summary>${t('appraisal.disposition.educationEdit')}</summary>${this.educationForm(d)}</details>`
            : this.educationForm(d)
      }
    </section>`;
  }

  private educationForm(d: DispositionView) {
    const e = this.education.error;
    return html`<form @submit=${this.saveEducation} novalidate>
      ${errorBanner(e)}
      ${field(
        'edu-start',
        t('appraisal.disposition.educationSince'),
        html`<input id="edu-start" name="startedOn" type="date" required max=${d.today}
          .value=${d.education?.startedOn ?? d.today} aria-invalid=${isInvalid(e, 'startedOn')} />`,
        { error: e, name: 'startedOn' },
      )}
      ${field(
        'edu-measures',
        t('appraisal.disposition.educationMeasures'),
        html`<textarea id="edu-measures" name="measures" maxlength="5000" required
          .value=${d.education?.measures ?? ''} aria-invalid=${isInvalid(e, 'measures')}></textarea>`,
        { error: e, name: 'measures', hint: t('appraisal.disposition.educationHint') },
      )}
      <button type="submit" ?disabled=${this.education.busy}>${t('common.save')}</button>
    </form>`;
  }

  private saveEducation(event: SubmitEvent) {
    event.preventDefault();
    const values = formValues(event.target as HTMLFormElement);
    void this.run(this.education, () =>
      api.put(`/api/appraisal/dispositions/${this.params.id}/education`, values),
    );
  }

  private renderStep(d: DispositionView, s: DispositionStep): TemplateResult {
    const needed = moreThanHalf(s.votingExpected);
    return html`<li class=${stepBadge[s.state]}>
      <h3>${t(`dispositionKind.${s.kind}`)} <span class="badge ${stepBadge[s.state]}">${t(`stepState.${s.state}`)}</span></h3>
      <p class="small muted">${s.meeting.title} · ${when(s.meeting.startsAt)}</p>
      <div class="votes">
        <span>${pair(t('appraisal.vote.yes'), String(s.vote.yes))}</span>
        <span>${pair(t('appraisal.vote.no'), String(s.vote.no))}</span>
        <span>${pair(t('appraisal.vote.abstain'), String(s.vote.abstain))}</span>
      </div>
      <p class="small">${t('appraisal.vote.rule', { expected: s.votingExpected, present: s.votingPresent, needed })}
        ${s.quorumMet ? '' : html`<strong>${t('appraisal.vote.noQuorum')}</strong>`}</p>
      ${s.correctionDeadline ? html`<p>${pair(t('appraisal.disposition.deadline'), when(s.correctionDeadline))}</p>` : nothing}
      ${s.note ? html`<p class="note-line small">${s.note}</p>` : nothing}
      ${
        s.approval
          ? html`<p>${t('appraisal.approval.summary', {
              decision: t(`approvalDecision.${s.approval.decision}`),
              organization: s.approval.approverOrganization,
              name: s.approval.approverName,
              date: when(s.approval.decidedOn),
            })}${s.approval.documentNo ? ` · ${s.approval.documentNo}` : ''}</p>`
          : nothing
      }
      ${s.state === 'awaitingApproval' && d.state !== 'closed' ? this.renderApprovalForm(d, s) : nothing}
    </li>`;
  }

  private renderApprovalForm(d: DispositionView, s: DispositionStep) {
    const e = this.approval.error;
    return html`<form @submit=${(ev: SubmitEvent) => this.saveApproval(ev, s.id)} novalidate>
      <h4>${t('appraisal.approval.title')}</h4>
      ${errorBanner(e)}
      <div class="two">
        ${field(
          'ap-decision',
          t('appraisal.approval.decision'),
          html`<select id="ap-decision" name="decision">${approvalDecisions.map((a) => html`<option value=${a}>${t(`approvalDecision.${a}`)}</option>`)}</select>`,
          { error: e, name: 'decision' },
        )}
        ${field(
          'ap-date',
          t('appraisal.approval.decidedOn'),
          html`<input id="ap-date" name="decidedOn" type="date" max=${d.today} .value=${d.today} aria-invalid=${isInvalid(e, 'decidedOn')} />`,
          { error: e, name: 'decidedOn' },
        )}
        ${field(
          'ap-org',
          t('appraisal.approval.organization'),
          html`<input id="ap-org" name="approverOrganization" maxlength="200" aria-invalid=${isInvalid(e, 'approverOrganization')} />`,
          { error: e, name: 'approverOrganization' },
        )}
        ${field(
          'ap-name',
          t('appraisal.approval.name'),
          html`<input id="ap-name" name="approverName" maxlength="100" aria-invalid=${isInvalid(e, 'approverName')} />`,
          { error: e, name: 'approverName' },
        )}
        ${field(
          'ap-doc',
          t('appraisal.approval.documentNo'),
          html`<input id="ap-doc" name="documentNo" maxlength="100" />`,
          { error: e, name: 'documentNo', hint: t('common.optional') },
        )}
      </div>
      <button type="submit" ?disabled=${this.approval.busy}>${t('appraisal.approval.record')}</button>
    </form>`;
  }

  private saveApproval(event: SubmitEvent, stepId: string) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const values = formValues(form);
    void this.run(
      this.approval,
      () =>
        api.put(`/api/appraisal/dispositions/${this.params.id}/steps/${stepId}/approval`, {
          ...values,
          documentNo: values.documentNo || null,
        }),
      form,
    );
  }

  private renderStepForm(d: DispositionView) {
    const e = this.stepAction.error;
    const meeting = d.voteMeetings.find((m) => m.id === this.meetingId);
    if (d.voteMeetings.length === 0) return html`<p class="alert warn">${t('appraisal.vote.noMeetings')}</p>`;
    const decidedOn = meeting ? shanghaiDate(new Date(meeting.startsAt)) : d.today;
    return html`<form @submit=${this.saveStep} novalidate>
      <h3>${t('appraisal.disposition.newDecision')}</h3>
      ${errorBanner(e)}
      <div class="two">
        ${field(
          'step-kind',
          t('appraisal.disposition.kind'),
          html`<select id="step-kind" name="kind" @change=${(ev: Event) => (this.kind = (ev.target as HTMLSelectElement).value as DispositionKind)}>
            ${dispositionKinds.map((k) => html`<option value=${k} ?selected=${this.kind === k}>${t(`dispositionKind.${k}`)}</option>`)}
          </select>`,
          { error: e, name: 'kind' },
        )}
        ${field(
          'step-meeting',
          t('appraisal.vote.meeting'),
          html`<select id="step-meeting" name="meetingId" aria-invalid=${isInvalid(e, 'meetingId')}
            @change=${(ev: Event) => (this.meetingId = (ev.target as HTMLSelectElement).value)}>
            ${d.voteMeetings.map((m) => html`<option value=${m.id} ?selected=${m.id === this.meetingId}>${m.title} · ${when(m.startsAt)}</option>`)}
          </select>`,
          { error: e, name: 'meetingId' },
        )}
      </div>
      ${
        meeting
          ? html`<p class="hint-box">${t('appraisal.vote.rule', {
              expected: meeting.votingExpected,
              present: meeting.votingPresent,
              needed: moreThanHalf(meeting.votingExpected),
            })} ${meeting.quorumMet ? '' : html`<strong>${t('appraisal.vote.noQuorum')}</strong>`}</p>`
          : nothing
      }
      <div class="three">
        ${(['yes', 'no', 'abstain'] as const).map((k) =>
          field(
            `vote-${k}`,
            t(`appraisal.vote.${k}`),
            html`<input id="vote-${k}" name=${k} type="number" inputmode="numeric" min="0" value="0" aria-invalid=${isInvalid(e, k)} />`,
            { error: e, name: k },
          ),
        )}
      </div>
      ${
        this.kind === 'correctionWithinDeadline'
          ? field(
              'step-deadline',
              t('appraisal.disposition.deadline'),
              html`<input id="step-deadline" name="correctionDeadline" type="date" min=${decidedOn} max=${oneYearAfter(decidedOn)}
                aria-invalid=${isInvalid(e, 'correctionDeadline')} />`,
              { error: e, name: 'correctionDeadline', hint: t('appraisal.disposition.deadlineHint') },
            )
          : nothing
      }
      ${field(
        'step-note',
        t('common.note'),
        html`<textarea id="step-note" name="note" maxlength="2000"></textarea>`,
        {
          error: e,
          name: 'note',
        },
      )}
      <button type="submit" class="primary" ?disabled=${this.stepAction.busy}>${t('appraisal.disposition.recordDecision')}</button>
    </form>`;
  }

  private saveStep(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const v = formValues(form);
    // An empty box is sent as missing, so the server names it "required" rather than a wrong type.
    const count = (value: string | undefined) => (value ? Number(value) : undefined);
    void this.run(
      this.stepAction,
      () =>
        api.post(`/api/appraisal/dispositions/${this.params.id}/steps`, {
          kind: v.kind,
          meetingId: v.meetingId,
          yes: count(v.yes),
          no: count(v.no),
          abstain: count(v.abstain),
          ...(v.kind === 'correctionWithinDeadline'
            ? { correctionDeadline: v.correctionDeadline || null }
            : {}),
          note: v.note || null,
        }),
      form,
    );
  }

  private renderClosing(d: DispositionView) {
    if (d.closed)
      return html`<section class="card">
        <h2>${t('appraisal.disposition.outcome')}</h2>
        <p><strong>${t(`dispositionOutcome.${d.closed.outcome}`)}</strong> · ${when(d.closed.closedOn)}${d.closed.closedByName ? ` · ${d.closed.closedByName}` : ''}</p>
        ${d.closed.note ? html`<p class="note-line">${d.closed.note}</p>` : nothing}
      </section>`;
    const approved = new Set(d.steps.filter((s) => s.state === 'approved').map((s) => s.kind));
    const outcomes = dispositionOutcomes.filter((o) => approved.has(outcomeRequires[o]));
    if (outcomes.length === 0) return nothing;
    const e = this.closing.error;
    return html`<section class="card">
      <h2>${t('appraisal.disposition.close')}</h2>
      <form @submit=${this.close} novalidate>
        ${errorBanner(e)}
        <div class="two">
          ${field(
            'close-outcome',
            t('appraisal.disposition.outcome'),
            html`<select id="close-outcome" name="outcome">${outcomes.map((o) => html`<option value=${o}>${t(`dispositionOutcome.${o}`)}</option>`)}</select>`,
            { error: e, name: 'outcome' },
          )}
          ${field(
            'close-date',
            t('appraisal.disposition.closedOn'),
            html`<input id="close-date" name="closedOn" type="date" max=${d.today} .value=${d.today} aria-invalid=${isInvalid(e, 'closedOn')} />`,
            { error: e, name: 'closedOn' },
          )}
        </div>
        ${field(
          'close-note',
          t('common.note'),
          html`<textarea id="close-note" name="note" maxlength="2000"></textarea>`,
          {
            error: e,
            name: 'note',
          },
        )}
        <button type="submit" ?disabled=${this.closing.busy}>${t('appraisal.disposition.close')}</button>
      </form>
    </section>`;
  }

  private close(event: SubmitEvent) {
    event.preventDefault();
    const v = formValues(event.target as HTMLFormElement);
    void this.run(this.closing, () =>
      api.post(`/api/appraisal/dispositions/${this.params.id}/close`, { ...v, note: v.note || null }),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-disposition': MjDisposition;
  }
}
