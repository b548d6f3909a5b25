import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { newAuthorKey, newClientId } from '../../shared/domain/live-client.ts';
import type { RoundView } from '../../shared/schemas/live.ts';
import { LocaleController, t } from '../core/i18n.ts';
import { baseStyles } from '../core/styles.ts';
import type { LiveConnection, OwnItem } from './connection.ts';
import type { Submission } from './device-store.ts';
import { phoneStyles } from './live-styles.ts';
import { anonymityNote, choice, styleHint } from './live-templates.ts';
import { activeSubject, type CriticismSubject, writablePhases } from './live-view.ts';

/** The protocol's limits on what one item, a self-examination or a response may hold. */
const itemMaxLength = 2000;
const statementMaxLength = 5000;

type Statement = 'submitSelfExamination' | 'submitResponse';

/**
 * The criticism and self-criticism round (批评与自我批评) on a phone. When it is my turn: my
 * self-examination, and after the criticisms are revealed, my response (表态). Otherwise: choose
 * whom the criticism is about, write it, tick "具体事例" if it names a concrete case, send. My own
 * items are listed (this device proves authorship with the secret it kept) and can be edited or
 * withdrawn until that subject's items are revealed.
 */
@customElement('mj-criticism-task')
export class MjCriticismTask extends LitElement {
  static override styles = [
    baseStyles,
    phoneStyles,
    css`
      .turn { font-size: 1.05rem; margin: 0.25rem 0 0.75rem; }
      .turn strong { color: var(--mj-red); }
      .card { margin: 1rem 0; }
      textarea { min-height: 8rem; font-size: 1.1rem; }
      .check { font-size: 1.05rem; min-height: 48px; }
      ul.items { list-style: none; padding: 0; margin: 0; }
      ul.items li { padding: 0.75rem 0; border-bottom: 1px solid var(--mj-line); }
      ul.items li:last-child { border-bottom: none; }
      .item-text { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0.25rem 0; }
      .item-meta { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
      details.later { margin: 1rem 0; }
      details.later summary { min-height: 48px; display: flex; align-items: center; cursor: pointer; color: var(--mj-focus); }
      .statement { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--mj-bg); padding: 0.75rem; border-radius: 8px; }
    `,
  ];
  @property({ attribute: false }) round!: RoundView;
  @property({ attribute: false }) connection!: LiveConnection;
  @state() private subjectId = '';
  @state() private text = '';
  @state() private concrete = false;
  @state() private statement: Partial<Record<Statement, string>> = {};
  @state() private editing: { itemId: string; text: string; concrete: boolean } | null = null;
  @state() private message = '';

  protected readonly localeController = new LocaleController(this);
  private unsubscribe?: () => void;

  private lastActive?: string;

  /** A "sent" note belongs to the speaker it was about; it goes when the next one's turn comes. */
  override willUpdate() {
    const active = activeSubject(this.round)?.id ?? '';
    if (this.lastActive !== undefined && active !== this.lastActive) this.message = '';
    this.lastActive = active;
  }

  /** My items' standing and what waits on the phone live in the connection, not in `round`. */
  override connectedCallback() {
    super.connectedCallback();
    this.unsubscribe = this.connection.subscribe(() => this.requestUpdate());
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  private get subjects(): CriticismSubject[] {
    return this.round.criticism?.subjects ?? [];
  }

  private get me() {
    return this.connection.welcome?.participant ?? null;
  }

  private get mySubject(): CriticismSubject | undefined {
    const memberId = this.me?.memberId;
    return memberId ? this.subjects.find((s) => s.memberId === memberId) : undefined;
  }

  /** Subjects this participant may write about now: not themselves, not yet revealed. */
  private get writable(): CriticismSubject[] {
    const memberId = this.me?.memberId;
    return this.subjects.filter((s) => s.memberId !== memberId && writablePhases.includes(s.phase));
  }

  override render() {
    const active = activeSubject(this.round);
    const mine = this.mySubject;
    const myTurn = !!mine && mine === active;
    return html`<div class="task">
      <h1>${this.round.title}</h1>
      ${
        active
          ? html`<p class="turn" role="status">${myTurn ? html`<strong>${t('liveUi.criticism.yourTurn')}</strong> · ` : html`<strong>${active.name}</strong> · `}${t(`criticismPhase.${active.phase}`)}</p>`
          : html`<p class="turn muted">${t('liveUi.criticism.notStarted')}</p>`
      }
      ${this.message ? html`<div class="alert ok" role="status">${this.message}</div>` : nothing}
      ${mine && myTurn ? this.renderMyTurn(mine) : nothing}
      ${myTurn ? nothing : this.renderWrite(active)}
      ${this.renderMine()}
      ${active && !myTurn && active.revealed.length > 0 ? this.renderRevealed(active) : nothing}
      ${
        mine && !myTurn && (mine.phase === 'waiting' || mine.phase === 'selfExamination')
          ? html`<details class="later"><summary>${t('liveUi.criticism.prepareSelf', { n: mine.position })}</summary>
            ${this.renderStatement(mine, 'submitSelfExamination')}</details>`
          : nothing
      }
    </div>`;
  }

  private renderMyTurn(mine: CriticismSubject) {
    if (mine.phase === 'waiting' || mine.phase === 'selfExamination')
      return this.renderStatement(mine, 'submitSelfExamination');
    if (mine.phase === 'reveal' || mine.phase === 'response')
      return html`${this.renderRevealed(mine)}${this.renderStatement(mine, 'submitResponse')}`;
    return nothing;
  }

  /** The subject's own text: the self-examination (自我剖析) or the response (表态). */
  private renderStatement(subject: CriticismSubject, type: Statement) {
    const self = type === 'submitSelfExamination';
    const saved = self ? subject.selfExamination?.text : subject.response;
    const pending = this.connection.store
      .pending()
      .find(
        (s): s is Extract<Submission, { type: Statement }> => s.type === type && s.subjectId === subject.id,
      );
    const draft = this.statement[type];
    const id = self ? 'self-examination' : 'response';
    if (draft === undefined && (pending || saved))
      return html`<section class="card" aria-labelledby="${id}-h">
        <h2 id="${id}-h">${t(self ? 'liveUi.criticism.selfTitle' : 'liveUi.criticism.responseTitle')}</h2>
        ${subject.selfExamination?.mode === 'oral' && self ? html`<p class="hint">${t('liveUi.criticism.oralRecorded')}</p>` : nothing}
        <p class="statement">${pending?.text ?? saved}</p>
        <p class="hint">${pending ? t('liveUi.criticism.statementPending') : t('liveUi.criticism.statementSent')}</p>
        ${pending ? nothing : html`<button type="button" @click=${() => (this.statement = { ...this.statement, [type]: saved ?? '' })}>${t('common.edit')}</button>`}
      </section>`;
    return html`<form class="card" @submit=${(e: SubmitEvent) => this.sendStatement(e, subject, type)} novalidate>
      <h2><label for=${id}>${t(self ? 'liveUi.criticism.selfTitle' : 'liveUi.criticism.responseTitle')}</label></h2>
      <p class="hint">${t(self ? 'liveUi.criticism.selfHelp' : 'liveUi.criticism.responseHelp')}</p>
      <textarea id=${id} maxlength=${statementMaxLength} .value=${draft ?? ''}
        @input=${(e: Event) => (this.statement = { ...this.statement, [type]: (e.target as HTMLTextAreaElement).value })}></textarea>
      <button class="primary big" type="submit" ?disabled=${!(draft ?? '').trim()}>${t('liveUi.criticism.send')}</button>
    </form>`;
  }

  private sendStatement(event: SubmitEvent, subject: CriticismSubject, type: Statement) {
    event.preventDefault();
    const text = (this.statement[type] ?? '').trim();
    if (!text) return;
    void this.connection.submit({
      type,
      clientId: newClientId(),
      roundId: this.round.id,
      subjectId: subject.id,
      text,
    });
    const { [type]: _sent, ...rest } = this.statement;
    this.statement = rest;
  }

  private renderWrite(active: CriticismSubject | undefined) {
    const writable = this.writable;
    if (writable.length === 0) return html`<p class="muted">${t('liveUi.criticism.nothingWritable')}</p>`;
    // The subject being criticised now, unless the member picked another.
    const chosen =
      writable.find((s) => s.id === this.subjectId) ??
      writable.find((s) => s.id === active?.id) ??
      writable[0]!;
    return html`<form class="card" @submit=${(e: SubmitEvent) => this.sendItem(e, chosen)} novalidate>
      ${anonymityNote('criticism', this.round.anonymous)}
      ${
        writable.length > 1
          ? html`<fieldset>
            <legend>${t('liveUi.criticism.about')}</legend>
            <div class="choices list">
              ${writable.map((s) =>
                choice({
                  type: 'radio',
                  name: 'subject',
                  value: s.id,
                  label: s.name,
                  checked: s.id === chosen.id,
                  onChange: () => (this.subjectId = s.id),
                }),
              )}
            </div>
          </fieldset>`
          : html`<p><strong>${t('liveUi.criticism.aboutOne', { name: chosen.name })}</strong></p>`
      }
      <div class="field">
        <label for="criticism">${t('liveUi.criticism.text')}</label>
        <textarea id="criticism" maxlength=${itemMaxLength} .value=${this.text} @input=${(e: Event) => (this.text = (e.target as HTMLTextAreaElement).value)}></textarea>
        ${styleHint(this.text, this.round.anonymous)}
      </div>
      <label class="check"><input type="checkbox" .checked=${this.concrete} @change=${(e: Event) => (this.concrete = (e.target as HTMLInputElement).checked)} /> ${t('liveUi.criticism.concrete')}</label>
      <button class="primary big" type="submit" ?disabled=${!this.text.trim()}>${t('liveUi.criticism.send')}</button>
    </form>`;
  }

  private sendItem(event: SubmitEvent, subject: CriticismSubject) {
    event.preventDefault();
    const text = this.text.trim();
    if (!text) return;
    void this.connection.submit({
      type: 'submitCriticism',
      clientId: newClientId(),
      roundId: this.round.id,
      subjectId: subject.id,
      text,
      concrete: this.concrete,
      authorKey: newAuthorKey(),
    });
    this.text = '';
    this.concrete = false;
    this.message = t('liveUi.criticism.sent');
  }

  /** My items: the server's word on those it acknowledged, and those still waiting on this phone. */
  private renderMine() {
    const own = this.connection.ownItems.filter((i) => i.roundId === this.round.id);
    const waiting = this.connection.store
      .pending()
      .filter(
        (s): s is Extract<Submission, { type: 'submitCriticism' }> =>
          s.type === 'submitCriticism' && s.roundId === this.round.id,
      );
    if (own.length === 0 && waiting.length === 0) return nothing;
    const nameOf = (subjectId: string) => this.subjects.find((s) => s.id === subjectId)?.name ?? '';
    return html`<section class="card" aria-labelledby="mine-h">
      <h2 id="mine-h">${t('liveUi.criticism.mine')}</h2>
      <ul class="items">
        ${waiting.map(
          (s) => html`<li>
            <div class="item-meta"><strong>${nameOf(s.subjectId)}</strong><span class="badge warn">${t('liveUi.criticism.itemPending')}</span></div>
            <p class="item-text">${s.text}</p>
          </li>`,
        )}
        ${own.map((item) => this.renderOwnItem(item, nameOf(item.subjectId)))}
      </ul>
    </section>`;
  }

  private renderOwnItem(item: OwnItem, subjectName: string) {
    // One unacknowledged change per item (docs/protocol.md §6): a late resend must not undo a newer one.
    const changing = this.connection.store
      .pending()
      .find(
        (p): p is Extract<Submission, { type: 'editCriticism' | 'withdrawCriticism' }> =>
          (p.type === 'editCriticism' || p.type === 'withdrawCriticism') && p.itemId === item.id,
      );
    const status = changing
      ? t('liveUi.criticism.itemPending')
      : item.revealed
        ? t('liveUi.criticism.itemRevealed')
        : t(`criticismItemStatus.${item.status}`);
    const tone =
      item.status === 'rejected' || item.status === 'returned' ? 'danger' : item.revealed ? 'ok' : '';
    if (this.editing?.itemId === item.id)
      return html`<li>
        <form @submit=${this.saveEdit} novalidate>
          <label for="edit-${item.id}">${t('liveUi.criticism.editAbout', { name: subjectName })}</label>
          <textarea id="edit-${item.id}" maxlength=${itemMaxLength} .value=${this.editing.text}
            @input=${(e: Event) => (this.editing = { ...this.editing!, text: (e.target as HTMLTextAreaElement).value })}></textarea>
          <label class="check"><input type="checkbox" .checked=${this.editing.concrete}
            @change=${(e: Event) => (this.editing = { ...this.editing!, concrete: (e.target as HTMLInputElement).checked })} /> ${t('liveUi.criticism.concrete')}</label>
          <div class="row">
            <button class="primary" type="submit" ?disabled=${!this.editing.text.trim()}>${t('common.save')}</button>
            <button type="button" @click=${() => (this.editing = null)}>${t('common.cancel')}</button>
          </div>
        </form>
      </li>`;
    return html`<li>
      <div class="item-meta"><strong>${subjectName}</strong><span class="badge ${tone}">${status}</span>${item.concrete ? html`<span class="badge">${t('liveUi.criticism.concreteShort')}</span>` : nothing}</div>
      <p class="item-text">${changing?.type === 'editCriticism' ? changing.text : item.text}</p>
      ${item.status === 'returned' && item.editable && !changing ? html`<p class="hint">${t('liveUi.criticism.returnedHint')}</p>` : nothing}
      ${
        item.editable && !changing
          ? html`<div class="row">
            <button type="button" @click=${() => (this.editing = { itemId: item.id, text: item.text, concrete: item.concrete })}>${t('common.edit')}</button>
            <button type="button" class="danger" @click=${() => this.withdraw(item)}>${t('liveUi.criticism.withdraw')}</button>
          </div>`
          : nothing
      }
    </li>`;
  }

  private authorKeyOf(itemId: string) {
    return this.connection.store.items().find((i) => i.itemId === itemId)?.authorKey;
  }

  private saveEdit(event: SubmitEvent) {
    event.preventDefault();
    const editing = this.editing;
    const authorKey = editing && this.authorKeyOf(editing.itemId);
    if (!editing || !authorKey || !editing.text.trim()) return;
    void this.connection.submit({
      type: 'editCriticism',
      clientId: newClientId(),
      itemId: editing.itemId,
      authorKey,
      text: editing.text.trim(),
      concrete: editing.concrete,
    });
    this.editing = null;
    this.message = t('liveUi.criticism.edited');
  }

  private withdraw(item: OwnItem) {
    const authorKey = this.authorKeyOf(item.id);
    if (!authorKey || !window.confirm(t('liveUi.criticism.withdrawConfirm'))) return;
    void this.connection.submit({
      type: 'withdrawCriticism',
      clientId: newClientId(),
      itemId: item.id,
      authorKey,
    });
    this.message = t('liveUi.criticism.withdrawn');
  }

  private renderRevealed(subject: CriticismSubject) {
    if (subject.revealed.length === 0) return nothing;
    return html`<section class="card" aria-labelledby="revealed-h">
      <h2 id="revealed-h">${t('liveUi.criticism.revealedAbout', { name: subject.name })}</h2>
      <ul class="items">
        ${subject.revealed.map(
          (item) => html`<li>
            <p class="item-text">${item.text}</p>
            <div class="item-meta">
              ${item.concrete ? html`<span class="badge">${t('liveUi.criticism.concreteShort')}</span>` : nothing}
              ${item.authorName ? html`<span class="muted small">— ${item.authorName}</span>` : nothing}
            </div>
          </li>`,
        )}
      </ul>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-criticism-task': MjCriticismTask;
  }
}
