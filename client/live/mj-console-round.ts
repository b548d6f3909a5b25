import { css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { appraisalGrades } from '../../shared/domain/enums.ts';
import type { AppraisalResults, RoundView } from '../../shared/schemas/live.ts';
import { api } from '../core/api.ts';
import { errorBanner } from '../core/forms.ts';
import { locale, t } from '../core/i18n.ts';
import { baseStyles } from '../core/styles.ts';
import { tableWrap } from '../core/table-wrap.ts';
import { ConsolePanel, consoleStyles } from './console-panel.ts';
import './mj-console-criticism.ts';
import './mj-round-results.ts';
import { lockIcon } from './icons.ts';

/**
 * One round on the host console: what it asks, then open → counts and who has not answered yet
 * (never who answered what) → close, which seals it for good → results for the branch committee,
 * and for surveys and polls a reveal to the room. Irreversible steps ask first.
 */
@customElement('mj-console-round')
export class MjConsoleRound extends ConsolePanel {
  static override styles = [
    baseStyles,
    consoleStyles,
    css`
      .kind { color: var(--mj-muted); margin: 0; }
      ol.questions { padding-left: 1.25rem; margin: 0.25rem 0; }
      .committee { border-left: 4px solid var(--mj-gold); padding-left: 0.75rem; }
    `,
  ];
  @property({ attribute: false }) round!: RoundView;

  override render() {
    const round = this.round;
    const badge = round.state === 'open' ? 'ok' : round.state === 'closed' ? '' : 'warn';
    return html`
      <div class="panel-head">
        <div>
          ${round.title === t(`roundKind.${round.kind}`) ? nothing : html`<p class="kind">${t(`roundKind.${round.kind}`)}</p>`}
          <h2>${round.title}</h2>
        </div>
        <span class="badge ${badge}">${t(`roundState.${round.state}`)}</span>
        ${round.anonymous ? html`<span class="badge">${lockIcon} ${t('liveUi.console.anonymous')}</span>` : html`<span class="badge warn">${t('liveUi.console.named')}</span>`}
        ${round.revealed ? html`<span class="badge ok">${t('liveUi.console.revealed')}</span>` : nothing}
      </div>
      ${errorBanner(this.error)}
      <div class="actions">${this.renderActions()}</div>
      ${round.kind === 'criticism' ? this.renderCriticism() : this.renderBallotRound()}
    `;
  }

  private renderActions() {
    const round = this.round;
    switch (round.state) {
      case 'draft':
        return html`<button class="primary" ?disabled=${this.busy || !this.live.meeting.open} @click=${this.open}>${t('liveUi.console.open')}</button>
          <button class="danger" ?disabled=${this.busy} @click=${this.deleteDraft}>${t('common.delete')}</button>
          ${this.live.meeting.open ? nothing : html`<span class="muted">${t('liveUi.console.openSessionFirst')}</span>`}`;
      case 'open':
        // A criticism round is closed once, after its last speaker; its day-to-day buttons are the phases.
        return html`<button class=${round.kind === 'criticism' ? 'danger' : 'primary'} ?disabled=${this.busy} @click=${this.close}>${t('liveUi.console.close')}</button>`;
      case 'closed':
        return (round.kind === 'survey' || round.kind === 'poll') && !round.revealed
          ? html`<button class="primary" ?disabled=${this.busy} @click=${this.reveal}>${t('liveUi.console.reveal')}</button>`
          : nothing;
    }
  }

  private renderBallotRound() {
    const round = this.round;
    return html`
      ${round.state !== 'draft' ? this.renderProgress() : nothing}
      ${round.state === 'closed' ? this.renderResults() : this.renderContent()}
    `;
  }

  private renderProgress() {
    const round = this.round;
    const share = round.eligible ? Math.round((round.answered / round.eligible) * 100) : 0;
    const waiting = round.notAnswered ?? [];
    return html`<div>
      <span class="count" role="status">${t('liveUi.wall.answered', { label: t('liveUi.wall.answeredLabel'), answered: round.answered, eligible: round.eligible })}</span>
      <div class="bar" aria-hidden="true"><span style="width:${share}%"></span></div>
      ${
        round.state === 'open' && waiting.length > 0
          ? html`<h3>${t('liveUi.console.notAnswered', { n: waiting.length })}</h3>
            <ul class="names" aria-label=${t('liveUi.console.notAnswered', { n: waiting.length })}>${waiting.map((id) => html`<li>${this.nameOf(id)}</li>`)}</ul>`
          : nothing
      }
    </div>`;
  }

  /** What the round asks, so the host can check it before opening. */
  private renderContent() {
    const round = this.round;
    if (round.instrument)
      return html`<h3>${t('liveUi.console.questions', { version: round.instrument.version })}</h3>
        <ol class="questions">${round.instrument.likert.map((q) => html`<li>${q.label[locale()]}</li>`)}</ol>
        ${round.instrument.overall ? html`<p>+ ${t('liveUi.survey.overall')}</p>` : nothing}`;
    if (round.poll)
      return html`<h3>${round.poll.question}</h3><p class="muted">${t(`pollMode.${round.poll.mode}`)}</p>
        <ol class="questions">${round.poll.options.map((o) => html`<li>${o}</li>`)}</ol>`;
    if (round.graded)
      return html`<h3>${t('liveUi.console.graded', { n: round.graded.length })}</h3>
        <ul class="names">${round.graded.map((g) => html`<li>${g.name}</li>`)}</ul>
        <p class="muted small">${t('liveUi.editor.appraisalNote')}</p>`;
    return nothing;
  }

  private renderResults() {
    const round = this.round;
    if (!round.results) return nothing;
    if (round.kind === 'appraisal') return this.renderAppraisal(round.results as AppraisalResults);
    return html`<h3>${t('liveUi.console.results')}</h3>
      ${round.revealed ? nothing : html`<p class="muted">${t('liveUi.console.notYetRevealed')}</p>`}
      <mj-round-results .round=${round}></mj-round-results>`;
  }

  /** Per-member tallies: for the branch committee only, never the wall or the phones. */
  private renderAppraisal(results: AppraisalResults) {
    if (results.suppressed) return html`<p class="muted">${t('live.suppressed', { k: results.k })}</p>`;
    return html`<section class="committee" aria-labelledby="tally-h">
      <h3 id="tally-h">${t('liveUi.console.appraisalTally', { n: results.n })}</h3>
      <p class="muted small">${t('liveUi.console.appraisalCommitteeOnly')}</p>
      ${tableWrap(
        t('liveUi.console.appraisalTally', { n: results.n }),
        html`<table>
        <thead><tr><th>${t('common.name')}</th>${appraisalGrades.map((g) => html`<th class="num">${t(`appraisalGrade.${g}`)}</th>`)}</tr></thead>
        <tbody>${(results.perMember ?? []).map(
          (m) =>
            html`<tr><td>${m.name}</td>${appraisalGrades.map((g) => html`<td class="num">${m.counts[g]}</td>`)}</tr>`,
        )}</tbody>
      </table>`,
      )}
    </section>`;
  }

  private renderCriticism() {
    return html`<mj-console-criticism .meetingId=${this.meetingId} .live=${this.live} .ask=${this.ask} .round=${this.round}></mj-console-criticism>`;
  }

  private open() {
    return this.post(`/rounds/${this.round.id}/open`);
  }

  private async deleteDraft() {
    const ok = await this.ask({
      title: t('liveUi.console.deleteTitle'),
      message: t('liveUi.console.deleteBody', { title: this.round.title }),
      confirmLabel: t('common.delete'),
      danger: true,
    });
    if (ok) await this.run(() => api.delete(this.url(`/rounds/${this.round.id}`)));
  }

  private async close() {
    const round = this.round;
    const ok = await this.ask({
      title: t('liveUi.console.closeTitle', { title: round.title }),
      message:
        round.kind === 'criticism'
          ? t('liveUi.console.closeCriticismBody')
          : t('liveUi.console.closeBody', { answered: round.answered, eligible: round.eligible }),
      confirmLabel: t('liveUi.console.closeConfirm'),
      danger: true,
    });
    if (ok) await this.post(`/rounds/${round.id}/close`);
  }

  private async reveal() {
    const ok = await this.ask({
      title: t('liveUi.console.revealTitle'),
      message: t('liveUi.console.revealBody'),
      confirmLabel: t('liveUi.console.reveal'),
    });
    if (ok) await this.post(`/rounds/${this.round.id}/reveal`);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-console-round': MjConsoleRound;
  }
}
