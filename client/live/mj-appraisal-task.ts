import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { checkBallot } from '../../shared/domain/ballot-rules.ts';
import { type AppraisalGrade, appraisalGrades } from '../../shared/domain/enums.ts';
import type { RoundView } from '../../shared/schemas/live.ts';
import { LocaleController, t } from '../core/i18n.ts';
import { baseStyles } from '../core/styles.ts';
import type { LiveConnection } from './connection.ts';
import { phoneStyles } from './live-styles.ts';
import { announceSubmitted, anonymityNote, choice } from './live-templates.ts';

/**
 * The democratic appraisal ballot (民主测评) on a phone: one member per row with four grade buttons,
 * a running count, a review screen before submitting. Every graded member must be graded, the
 * voter included (a ballot skipping its own row would identify the voter). The half-filled grid is
 * kept on the phone so a locked or reloaded phone loses nothing.
 */
@customElement('mj-appraisal-task')
export class MjAppraisalTask extends LitElement {
  static override styles = [
    baseStyles,
    phoneStyles,
    css`
      .row-person { padding: 0.75rem 0; border-bottom: 1px solid var(--mj-line); }
      .row-person legend { font-size: 1.1rem; }
      .row-person.missing-row legend { color: var(--mj-danger); }
      .me { color: var(--mj-muted); font-weight: normal; }
      .progress { font-weight: 700; font-size: 1.15rem; }
      .sticky-bar .row { justify-content: space-between; }
      .sticky-bar button.big { margin-top: 0.5rem; }
      ul.review { list-style: none; padding: 0; margin: 0.5rem 0; }
      ul.review li { display: flex; justify-content: space-between; gap: 1rem; padding: 0.55rem 0; border-bottom: 1px solid var(--mj-line); }
      ul.review .grade { font-weight: 700; white-space: nowrap; }
      .totals { display: grid; grid-template-columns: repeat(2, 1fr); gap: 0.25rem 1rem; margin: 0.5rem 0 1rem; }
    `,
  ];
  @property({ attribute: false }) round!: RoundView;
  @property({ attribute: false }) connection!: LiveConnection;
  @state() private grades: Record<string, AppraisalGrade> = {};
  @state() private reviewing = false;
  @state() private showMissing = false;

  protected readonly localeController = new LocaleController(this);

  override connectedCallback() {
    super.connectedCallback();
    this.grades = this.connection.store.draft<Record<string, AppraisalGrade>>(this.round.id) ?? {};
  }

  private get graded() {
    return this.round.graded ?? [];
  }

  private setGrade(memberId: string, grade: AppraisalGrade) {
    this.grades = { ...this.grades, [memberId]: grade };
    this.connection.store.setDraft(this.round.id, this.grades);
  }

  override render() {
    return this.reviewing ? this.renderReview() : this.renderGrid();
  }

  private renderGrid() {
    const me = this.connection.welcome?.participant?.memberId;
    const done = this.graded.filter((g) => this.grades[g.memberId]).length;
    return html`<div class="task">
      <h1>${this.round.title}</h1>
      ${anonymityNote('ballot', true)}
      <p>${t('liveUi.appraisal.intro')}</p>
      ${this.graded.map((person) => {
        const missing = this.showMissing && !this.grades[person.memberId];
        return html`<fieldset class="row-person ${missing ? 'missing-row' : ''}">
          <legend>${person.name}${person.memberId === me ? html` <span class="me">${t('liveUi.appraisal.me')}</span>` : ''}</legend>
          <div class="choices grades">
            ${appraisalGrades.map((grade) =>
              choice({
                type: 'radio',
                name: `grade-${person.memberId}`,
                value: grade,
                label: t(`appraisalGrade.${grade}`),
                checked: this.grades[person.memberId] === grade,
                onChange: () => this.setGrade(person.memberId, grade),
              }),
            )}
          </div>
        </fieldset>`;
      })}
      <div class="sticky-bar">
        <div class="row">
          <span class="progress" role="status">${t('liveUi.appraisal.progress', { done, total: this.graded.length })}</span>
          ${done < this.graded.length && this.showMissing ? html`<span class="missing">${t('liveUi.appraisal.remaining', { n: this.graded.length - done })}</span>` : ''}
        </div>
        <button class="primary big" type="button" @click=${this.review}>${t('liveUi.appraisal.review')}</button>
      </div>
    </div>`;
  }

  private review() {
    const missing = this.graded.find((g) => !this.grades[g.memberId]);
    if (missing) {
      this.showMissing = true;
      void this.updateComplete.then(() =>
        this.renderRoot.querySelector('.missing-row')?.scrollIntoView({ block: 'center' }),
      );
      return;
    }
    this.reviewing = true;
    window.scrollTo(0, 0);
  }

  private renderReview() {
    const totals = appraisalGrades.map((grade) => ({
      grade,
      n: this.graded.filter((g) => this.grades[g.memberId] === grade).length,
    }));
    return html`<div class="task">
      <h1>${t('liveUi.appraisal.reviewTitle')}</h1>
      ${anonymityNote('ballot', true)}
      <div class="totals">${totals.map((x) => html`<span>${t(`appraisalGrade.${x.grade}`)}：<strong>${x.n}</strong></span>`)}</div>
      <ul class="review">
        ${this.graded.map((g) => html`<li><span>${g.name}</span><span class="grade">${t(`appraisalGrade.${this.grades[g.memberId]!}`)}</span></li>`)}
      </ul>
      <button class="primary big" type="button" @click=${this.submit}>${t('liveUi.appraisal.confirm')}</button>
      <button class="big" type="button" @click=${() => (this.reviewing = false)}>${t('liveUi.appraisal.back')}</button>
    </div>`;
  }

  private submit() {
    // Only the rows on this ballot: a draft may remember someone no longer listed.
    const grades = Object.fromEntries(
      this.graded.flatMap((g) => (this.grades[g.memberId] ? [[g.memberId, this.grades[g.memberId]!]] : [])),
    );
    const answers = { kind: 'appraisal' as const, grades };
    const problem = checkBallot(
      { kind: 'appraisal', graded: this.graded.map((g) => g.memberId) },
      undefined,
      answers,
    );
    if (problem) {
      // The list changed under us (it cannot once the round is open, but be safe): back to the grid.
      this.reviewing = false;
      this.showMissing = true;
      return;
    }
    void this.connection.castBallot(this.round.id, answers);
    this.connection.store.clearDraft(this.round.id);
    announceSubmitted(this, this.round.id);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-appraisal-task': MjAppraisalTask;
  }
}
