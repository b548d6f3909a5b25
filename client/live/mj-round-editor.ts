import { css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { RoundKind } from '../../shared/schemas/rounds.ts';
import { api } from '../core/api.ts';
import { errorBanner, field, fieldError, isInvalid } from '../core/forms.ts';
import { t } from '../core/i18n.ts';
import { baseStyles } from '../core/styles.ts';
import { ConsolePanel, consoleStyles } from './console-panel.ts';

const kinds: RoundKind[] = ['survey', 'criticism', 'appraisal', 'poll'];
type PollMode = 'single' | 'multiple' | 'wordCloud';
const pollModes: PollMode[] = ['single', 'multiple', 'wordCloud'];

/**
 * Adding a round to the run-sheet: a satisfaction survey (the organization's current form), a
 * criticism round with its speaking order (by custom the secretary first; the host orders the
 * subjects) and whether it is named, an appraisal ballot, or a quick poll with its options. The
 * server validates everything again; its field codes are shown beside the fields.
 */
@customElement('mj-round-editor')
export class MjRoundEditor extends ConsolePanel {
  static override styles = [
    baseStyles,
    consoleStyles,
    css`
      .kinds { display: grid; grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr)); gap: 0.5rem; margin-bottom: 1rem; border: none; padding: 0; }
      .kinds label { border: 2px solid var(--mj-line); border-radius: 8px; padding: 0.6rem 0.75rem; display: flex; gap: 0.5rem; align-items: center; cursor: pointer; font-weight: 600; margin: 0; }
      .kinds label:has(input:checked) { border-color: var(--mj-red); background: #fbf3f3; }
      .subjects { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
      ol.order { list-style: none; padding: 0; margin: 0; }
      ol.order li { display: flex; align-items: center; gap: 0.35rem; padding: 0.15rem 0; }
      ol.order li .name { flex: 1; }
      ol.order li .n { min-width: 1.5rem; color: var(--mj-muted); }
      ol.order button { min-height: 36px; padding: 0.1rem 0.5rem; }
      ul.pick { list-style: none; padding: 0; margin: 0; max-height: 18rem; overflow: auto; }
      .options li { display: flex; gap: 0.5rem; margin-bottom: 0.4rem; }
      .options input { flex: 1; }
      @media (max-width: 700px) { .subjects { grid-template-columns: 1fr; } }
    `,
  ];
  /** The host's own member id, when the host is an invitee: put first in the speaking order. */
  @property() hostMemberId = '';
  @state() private kind: RoundKind = 'survey';
  @state() private roundTitle = '';
  @state() private subjects: string[] = [];
  @state() private named = false;
  @state() private question = '';
  @state() private mode: PollMode = 'single';
  @state() private options: string[] = ['', ''];

  override connectedCallback() {
    super.connectedCallback();
    this.subjects = this.defaultOrder();
  }

  /** Everyone invited, committee members first (the roster's order), the host before all. */
  private defaultOrder(): string[] {
    const ids = (this.live.attendance?.attendees ?? []).map((a) => a.memberId);
    return this.hostMemberId && ids.includes(this.hostMemberId)
      ? [this.hostMemberId, ...ids.filter((id) => id !== this.hostMemberId)]
      : ids;
  }

  override render() {
    const e = this.error;
    return html`<form @submit=${this.create} novalidate>
      <h2>${t('liveUi.editor.title')}</h2>
      <fieldset class="kinds">
        <legend class="visually-hidden">${t('liveUi.editor.kind')}</legend>
        ${kinds.map(
          (kind) => html`<label><input type="radio" name="kind" .checked=${this.kind === kind}
            @change=${() => (this.kind = kind)} />${t(`roundKind.${kind}`)}</label>`,
        )}
      </fieldset>
      ${field('round-title', t('liveUi.editor.roundTitle'), html`<input id="round-title" maxlength="100" .value=${this.roundTitle} placeholder=${t(`roundKind.${this.kind}`)} aria-invalid=${isInvalid(e, 'title')} @input=${(ev: Event) => (this.roundTitle = (ev.target as HTMLInputElement).value)} />`, { error: e, name: 'title', hint: t('liveUi.editor.titleHint') })}
      ${this.renderKind()}
      ${errorBanner(e)}
      <div class="actions"><button class="primary" type="submit" ?disabled=${this.busy}>${t('liveUi.editor.create')}</button></div>
    </form>`;
  }

  private renderKind() {
    switch (this.kind) {
      case 'survey':
        return html`<p class="muted">${t('liveUi.editor.surveyNote')}</p>`;
      case 'appraisal':
        return html`<p class="muted">${t('liveUi.editor.appraisalNote')}</p>`;
      case 'criticism':
        return this.renderSubjects();
      case 'poll':
        return this.renderPoll();
    }
  }

  private renderSubjects() {
    const attendees = this.live.attendance?.attendees ?? [];
    const chosen = new Set(this.subjects);
    const problem = fieldError(this.error, 'config.subjectMemberIds');
    return html`<div class="subjects">
        <div>
          <h3 id="order-h">${t('liveUi.editor.order')}</h3>
          <p class="muted small">${t('liveUi.editor.orderHint')}</p>
          <ol class="order" aria-labelledby="order-h">
            ${repeat(
              this.subjects,
              (id) => id,
              (id, i) => html`<li>
                <span class="n">${i + 1}.</span><span class="name">${this.nameOf(id)}</span>
                <button type="button" aria-label=${t('liveUi.editor.up', { name: this.nameOf(id) })} ?disabled=${i === 0} @click=${() => this.move(i, -1)}>↑</button>
                <button type="button" aria-label=${t('liveUi.editor.down', { name: this.nameOf(id) })} ?disabled=${i === this.subjects.length - 1} @click=${() => this.move(i, 1)}>↓</button>
                <button type="button" aria-label=${t('liveUi.editor.remove', { name: this.nameOf(id) })} @click=${() => (this.subjects = this.subjects.filter((s) => s !== id))}>✕</button>
              </li>`,
            )}
          </ol>
          ${problem ? html`<div class="error" role="alert">${problem}</div>` : nothing}
        </div>
        <div>
          <h3>${t('liveUi.editor.add')}</h3>
          <ul class="pick">
            ${attendees
              .filter((a) => !chosen.has(a.memberId))
              .map(
                (a) =>
                  html`<li><button type="button" class="link" @click=${() => (this.subjects = [...this.subjects, a.memberId])}>+ ${a.name}</button></li>`,
              )}
          </ul>
        </div>
      </div>
      <label class="check"><input type="checkbox" .checked=${this.named} @change=${(ev: Event) => (this.named = (ev.target as HTMLInputElement).checked)} /> ${t('liveUi.editor.named')}</label>
      <p class="muted small">${t('liveUi.editor.namedHint')}</p>`;
  }

  private move(index: number, by: number) {
    const next = [...this.subjects];
    const [id] = next.splice(index, 1);
    next.splice(index + by, 0, id!);
    this.subjects = next;
  }

  private renderPoll() {
    const e = this.error;
    return html`
      ${field('poll-question', t('liveUi.editor.question'), html`<input id="poll-question" maxlength="300" .value=${this.question} aria-invalid=${isInvalid(e, 'config.question')} @input=${(ev: Event) => (this.question = (ev.target as HTMLInputElement).value)} />`, { error: e, name: 'config.question' })}
      ${field('poll-mode', t('liveUi.editor.mode'), html`<select id="poll-mode" @change=${(ev: Event) => (this.mode = (ev.target as HTMLSelectElement).value as PollMode)}>${pollModes.map((m) => html`<option value=${m} ?selected=${this.mode === m}>${t(`pollMode.${m}`)}</option>`)}</select>`)}
      ${
        this.mode === 'wordCloud'
          ? html`<p class="muted">${t('liveUi.editor.wordCloudNote')}</p>`
          : html`<fieldset>
            <legend>${t('liveUi.editor.options')}</legend>
            <ol class="options">
              ${this.options.map(
                (option, i) => html`<li>
                  <input aria-label=${t('liveUi.editor.option', { n: i + 1 })} maxlength="100" .value=${option} @input=${(ev: Event) => this.setOption(i, (ev.target as HTMLInputElement).value)} />
                  <button type="button" aria-label=${t('liveUi.editor.removeOption', { n: i + 1 })} ?disabled=${this.options.length <= 2} @click=${() => (this.options = this.options.filter((_, j) => j !== i))}>✕</button>
                </li>`,
              )}
            </ol>
            ${fieldError(e, 'config.options') ? html`<div class="error" role="alert">${fieldError(e, 'config.options')}</div>` : nothing}
            <button type="button" ?disabled=${this.options.length >= 20} @click=${() => (this.options = [...this.options, ''])}>+ ${t('liveUi.editor.addOption')}</button>
          </fieldset>`
      }
    `;
  }

  private setOption(index: number, value: string) {
    const next = [...this.options];
    next[index] = value;
    this.options = next;
  }

  private config() {
    switch (this.kind) {
      case 'survey':
      case 'appraisal':
        return { kind: this.kind };
      case 'criticism':
        return { kind: 'criticism', subjectMemberIds: this.subjects, named: this.named };
      case 'poll':
        return {
          kind: 'poll',
          question: this.question,
          mode: this.mode,
          options: this.mode === 'wordCloud' ? [] : this.options.map((o) => o.trim()).filter(Boolean),
        };
    }
  }

  private async create(event: SubmitEvent) {
    event.preventDefault();
    const title = this.roundTitle.trim() || t(`roundKind.${this.kind}`);
    const created = await this.run(() =>
      api.post<{ id: string }>(this.url('/rounds'), { title, config: this.config() }),
    );
    if (!created) return;
    this.roundTitle = '';
    this.question = '';
    this.options = ['', ''];
    this.dispatchEvent(new CustomEvent('mj-select', { detail: created.id, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-round-editor': MjRoundEditor;
  }
}
