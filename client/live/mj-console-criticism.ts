import { css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { CriticismPhase, RoundView } from '../../shared/schemas/live.ts';
import { errorBanner, formValues } from '../core/forms.ts';
import { t } from '../core/i18n.ts';
import { baseStyles } from '../core/styles.ts';
import { ConsolePanel, consoleStyles } from './console-panel.ts';
import { activeSubject, type CriticismSubject } from './live-view.ts';
import './mj-convert-form.ts';

const phases: CriticismPhase[] = ['waiting', 'selfExamination', 'criticism', 'reveal', 'response', 'done'];

type QueueItem = NonNullable<CriticismSubject['queue']>[number];

/**
 * Running a criticism round: subjects in speaking order, each moved forward through its phases
 * (self-examination → criticism → reveal → response → done, never back). The moderation queue shows
 * text only — never who wrote it — and arrives in shuffled batches; approved items are revealed on
 * the wall one at a time in random order; any item (or the self-examination) can become a problem
 * and a rectification item.
 */
@customElement('mj-console-criticism')
export class MjConsoleCriticism extends ConsolePanel {
  static override styles = [
    baseStyles,
    consoleStyles,
    css`
      .layout { display: grid; grid-template-columns: minmax(10rem, 14rem) 1fr; gap: 1rem; }
      ol.subjects { list-style: none; padding: 0; margin: 0; }
      ol.subjects button { width: 100%; justify-content: space-between; margin-bottom: 0.35rem; text-align: left; }
      ol.subjects button[aria-current='true'] { border-color: var(--mj-red); border-width: 2px; background: #fbf3f3; }
      ol.steps { display: flex; flex-wrap: wrap; gap: 0.25rem; list-style: none; padding: 0; margin: 0.5rem 0; }
      ol.steps li { padding: 0.15rem 0.6rem; border-radius: 999px; background: #eaeef2; font-size: 0.85rem; }
      ol.steps li.now { background: var(--mj-red); color: #fff; font-weight: 700; }
      ol.steps li.past { background: #dafbe1; color: #116329; }
      .items { list-style: none; padding: 0; margin: 0; }
      .items > li { border: 1px solid var(--mj-line); border-radius: 8px; padding: 0.6rem 0.8rem; margin-bottom: 0.5rem; background: #fff; }
      .items > li.pending { border-left: 4px solid var(--mj-gold); }
      .statement { background: var(--mj-bg); border-radius: 8px; padding: 0.6rem 0.8rem; }
      @media (max-width: 900px) { .layout { grid-template-columns: 1fr; } }
    `,
  ];
  @property({ attribute: false }) round!: RoundView;
  @state() private selected = '';
  @state() private converting = '';
  @state() private editingOral = false;

  private get subjects(): CriticismSubject[] {
    return this.round.criticism?.subjects ?? [];
  }

  private get subject(): CriticismSubject | undefined {
    return (
      this.subjects.find((s) => s.id === this.selected) ??
      activeSubject(this.round) ??
      this.subjects.find((s) => s.phase !== 'done') ??
      this.subjects[0]
    );
  }

  override render() {
    const subject = this.subject;
    return html`<div class="layout">
      <nav aria-label=${t('liveUi.criticismConsole.subjects')}>
        <ol class="subjects">
          ${this.subjects.map(
            (
              s,
            ) => html`<li><button type="button" aria-current=${s.id === subject?.id ? 'true' : 'false'} @click=${() => (this.selected = s.id)}>
              <span>${s.position}. ${s.name}</span><span class="badge ${s.phase === 'done' ? 'ok' : s.phase === 'waiting' ? '' : 'warn'}">${t(`criticismPhase.${s.phase}`)}</span>
            </button></li>`,
          )}
        </ol>
      </nav>
      <div>${subject ? this.renderSubject(subject) : nothing}</div>
    </div>`;
  }

  private renderSubject(subject: CriticismSubject) {
    const index = phases.indexOf(subject.phase);
    const next = phases[index + 1];
    const open = this.round.state === 'open';
    return html`
      <h3>${subject.name}</h3>
      <ol class="steps" aria-label=${t('liveUi.criticismConsole.phases')}>
        ${phases.map((p, i) => html`<li class=${i < index ? 'past' : i === index ? 'now' : ''} aria-current=${i === index ? 'step' : 'false'}>${t(`criticismPhase.${p}`)}</li>`)}
      </ol>
      ${errorBanner(this.error)}
      ${
        open && next
          ? html`<div class="actions"><button class="primary" ?disabled=${this.busy} @click=${() => this.advance(subject, next)}>${t('liveUi.criticismConsole.next', { phase: t(`criticismPhase.${next}`) })}</button></div>`
          : nothing
      }
      ${this.renderSelfExamination(subject)}
      ${this.renderQueue(subject)}
      ${this.renderRevealed(subject)}
      ${subject.response ? html`<h4>${t('liveUi.criticismConsole.response')}</h4><p class="statement pre">${subject.response}</p>` : nothing}
    `;
  }

  private renderSelfExamination(subject: CriticismSubject) {
    const exam = subject.selfExamination;
    const open = this.round.state === 'open';
    const form = html`<form @submit=${(e: SubmitEvent) => this.recordOral(e, subject)} novalidate>
      <label for="oral-${subject.id}">${t('liveUi.criticismConsole.oralSummary')}</label>
      <textarea id="oral-${subject.id}" name="summary" maxlength="5000" .value=${exam?.mode === 'oral' ? exam.text : ''}></textarea>
      <div class="actions"><button type="submit" ?disabled=${this.busy}>${t('liveUi.criticismConsole.saveOral')}</button>
      ${exam ? html`<button type="button" @click=${() => (this.editingOral = false)}>${t('common.cancel')}</button>` : nothing}</div>
    </form>`;
    return html`<h4>${t('liveUi.criticismConsole.selfExamination')}</h4>
      ${
        exam
          ? html`<p class="muted small">${t(exam.mode === 'oral' ? 'liveUi.criticismConsole.oral' : 'liveUi.criticismConsole.written')}</p>
            <p class="statement pre">${exam.text}</p>
            <div class="actions">
              ${open ? html`<button type="button" @click=${() => (this.editingOral = true)}>${t('liveUi.criticismConsole.recordOral')}</button>` : nothing}
              ${this.convertButton(`subject:${subject.id}`)}
            </div>
            ${this.editingOral && open ? form : nothing}
            ${this.converting === `subject:${subject.id}` ? this.convertForm(`/rounds/${this.round.id}/subjects/${subject.id}/problem`, exam.text, 'self', subject) : nothing}`
          : open
            ? form
            : html`<p class="muted">${t('common.none')}</p>`
      }`;
  }

  private renderQueue(subject: CriticismSubject) {
    const queue = [...(subject.queue ?? [])].sort((a, b) => rank(a) - rank(b));
    const approved = queue.filter((i) => i.status === 'approved').length;
    const revealing = subject.phase === 'reveal' && this.round.state === 'open';
    return html`<h4>${t('liveUi.criticismConsole.queue', { n: queue.length })}</h4>
      <p class="muted small">${t('liveUi.criticismConsole.queueHint')}</p>
      ${
        revealing
          ? html`<div class="actions">
            <button class="primary" ?disabled=${this.busy || approved === 0} @click=${() => this.reveal(subject, 'next')}>${t('liveUi.criticismConsole.revealNext', { n: approved })}</button>
            <button ?disabled=${this.busy || approved === 0} @click=${() => this.reveal(subject, 'all')}>${t('liveUi.criticismConsole.revealAll')}</button>
          </div>`
          : nothing
      }
      ${
        queue.length === 0
          ? html`<p class="muted">${t('liveUi.criticismConsole.queueEmpty')}</p>`
          : // Keyed: items move as they are decided, and focus must stay on the item being handled.
            html`<ul class="items">${repeat(
              queue,
              (item) => item.id,
              (item) => this.renderQueueItem(item),
            )}</ul>`
      }`;
  }

  private renderQueueItem(item: QueueItem) {
    const open = this.round.state === 'open';
    return html`<li class=${item.status === 'pending' ? 'pending' : ''}>
      <p class="pre">${item.text}</p>
      <div class="row">
        <span class="badge ${item.status === 'approved' ? 'ok' : item.status === 'pending' ? 'warn' : 'danger'}">${t(`criticismItemStatus.${item.status ?? 'pending'}`)}</span>
        ${item.concrete ? html`<span class="badge">${t('liveUi.criticism.concreteShort')}</span>` : nothing}
        ${item.authorName ? html`<span class="muted small">— ${item.authorName}</span>` : nothing}
        <span class="spacer"></span>
        ${
          open
            ? html`<button ?disabled=${this.busy || item.status === 'approved'} @click=${() => this.moderate(item, 'approve')}>${t('liveUi.criticismConsole.approve')}</button>
              <button ?disabled=${this.busy || item.status === 'returned'} @click=${() => this.moderate(item, 'return')}>${t('liveUi.criticismConsole.return')}</button>
              <button class="danger" ?disabled=${this.busy || item.status === 'rejected'} @click=${() => this.moderate(item, 'reject')}>${t('liveUi.criticismConsole.reject')}</button>`
            : nothing
        }
      </div>
    </li>`;
  }

  private renderRevealed(subject: CriticismSubject) {
    if (subject.revealed.length === 0) return nothing;
    return html`<h4>${t('liveUi.criticismConsole.revealed', { n: subject.revealed.length })}</h4>
      <ol class="items">
        ${subject.revealed.map(
          (item) => html`<li>
            <p class="pre">${item.text}</p>
            <div class="row">
              ${item.concrete ? html`<span class="badge">${t('liveUi.criticism.concreteShort')}</span>` : nothing}
              ${item.authorName ? html`<span class="muted small">— ${item.authorName}</span>` : nothing}
              <span class="spacer"></span>
              ${item.problemId ? html`<span class="badge ok">${t('liveUi.criticismConsole.converted')}</span>` : this.convertButton(`item:${item.id}`)}
            </div>
            ${this.converting === `item:${item.id}` ? this.convertForm(`/rounds/${this.round.id}/items/${item.id}/problem`, item.text, 'peers', subject) : nothing}
          </li>`,
        )}
      </ol>`;
  }

  private convertButton(key: string) {
    return html`<button type="button" @click=${() => (this.converting = this.converting === key ? '' : key)}>${t('liveUi.criticismConsole.convert')}</button>`;
  }

  private convertForm(path: string, text: string, source: 'self' | 'peers', subject: CriticismSubject) {
    return html`<mj-convert-form .meetingId=${this.meetingId} .live=${this.live} .path=${path} .text=${text}
      .defaultSource=${source} .ownerMemberId=${subject.memberId}
      @mj-done=${(e: Event) => {
        e.stopPropagation();
        this.converting = '';
      }}></mj-convert-form>`;
  }

  private async advance(subject: CriticismSubject, phase: CriticismPhase) {
    // Leaving the criticism phase ends writing about this subject for good.
    if (phase === 'reveal') {
      const ok = await this.ask({
        title: t('liveUi.criticismConsole.endWritingTitle', { name: subject.name }),
        message: t('liveUi.criticismConsole.endWritingBody'),
        confirmLabel: t('liveUi.criticismConsole.next', { phase: t('criticismPhase.reveal') }),
        danger: true,
      });
      if (!ok) return;
    }
    const done = await this.post(`/rounds/${this.round.id}/subjects/${subject.id}/phase`, { phase });
    if (done && phase === 'done') {
      // On to the next speaker.
      const next = this.subjects.find((s) => s.position > subject.position && s.phase !== 'done');
      if (next) this.selected = next.id;
    }
  }

  private async recordOral(event: SubmitEvent, subject: CriticismSubject) {
    event.preventDefault();
    const { summary } = formValues(event.target as HTMLFormElement);
    const done = await this.post(`/rounds/${this.round.id}/subjects/${subject.id}/self-examination`, {
      summary,
    });
    if (done) this.editingOral = false;
  }

  private moderate(item: QueueItem, action: 'approve' | 'return' | 'reject') {
    return this.post(`/rounds/${this.round.id}/items/${item.id}/moderate`, { action });
  }

  private reveal(subject: CriticismSubject, mode: 'next' | 'all') {
    return this.post(`/rounds/${this.round.id}/subjects/${subject.id}/reveal`, { mode });
  }
}

/** Pending items first (they need a decision), then approved, then the rest. */
function rank(item: QueueItem): number {
  return ['pending', 'approved', 'returned', 'rejected'].indexOf(item.status ?? 'pending');
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-console-criticism': MjConsoleCriticism;
  }
}
