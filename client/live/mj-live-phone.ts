import { css, html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type { LiveAuth, RoundView } from '../../shared/schemas/live.ts';
import { locale, setLocale, t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { currentUser, onSessionChange } from '../core/session.ts';
import { baseStyles } from '../core/styles.ts';
import type { LiveConnection } from './connection.ts';
import { browserStore, DeviceStore } from './device-store.ts';
import { doneIcon, hourglassIcon } from './icons.ts';
import { LiveController } from './live-controller.ts';
import { phoneStyles } from './live-styles.ts';
import { lastRevealed, openTasks, shortReceipt } from './live-view.ts';
import './mj-appraisal-task.ts';
import './mj-claim-form.ts';
import './mj-countdown.ts';
import './mj-criticism-task.ts';
import './mj-live-strip.ts';
import './mj-poll-task.ts';
import './mj-round-results.ts';
import './mj-survey-task.ts';

/** Refusals after which this phone's stored pass is useless and the member must claim again. */
const passGone = new Set(['live.revoked', 'live.tokenInvalid']);

/**
 * The member's phone in the meeting room (/live/:meetingId, full screen): the strip on top, then
 * one task at a time — the open survey, criticism round, appraisal ballot or poll — or, between
 * rounds, a waiting screen with the results the room may see and this phone's receipts. Joins with
 * the pass this phone claimed, else with the signed-in account, else asks for a code.
 */
@customElement('mj-live-phone')
export class MjLivePhone extends MjPage {
  static override styles = [
    baseStyles,
    phoneStyles,
    css`
      :host { min-height: 100vh; background: var(--mj-bg); }
      .lang { margin-left: auto; }
      .timer { text-align: center; font-size: 1.2rem; padding: 0.5rem; background: #fff; border-bottom: 1px solid var(--mj-line); }
      .confirm { margin: 1rem; }
      .confirm .done { padding: 0.5rem; }
      .waiting { text-align: center; padding: 2rem 1rem 1rem; }
      .waiting .big-icon { font-size: 2.75rem; color: var(--mj-red); }
      .more { text-align: center; color: var(--mj-muted); font-size: 0.95rem; }
      ul.receipts { list-style: none; padding: 0; margin: 0; }
      ul.receipts li { padding: 0.6rem 0; border-bottom: 1px solid var(--mj-line); }
      ul.receipts li:last-child { border-bottom: none; }
      section.card { margin: 1rem; }
      .refused { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; justify-content: space-between; }
    `,
  ];
  private readonly live = new LiveController(this);
  private store?: DeviceStore;
  /** The ballot round just handed over, for the confirmation with its receipt. */
  @state() private justSubmitted: string | null = null;
  /** Why this phone must claim (again). */
  @state() private claimNotice = '';
  private unsubscribe?: () => void;
  private requestedBulletins = new Set<string>();
  private openRounds?: string;

  override connectedCallback() {
    super.connectedCallback();
    this.unsubscribe = onSessionChange(() => this.join());
    this.addEventListener('mj-submitted', (e) => {
      this.justSubmitted = (e as CustomEvent<{ roundId: string }>).detail.roundId;
      window.scrollTo(0, 0);
    });
    this.addEventListener('mj-claimed', () => {
      this.claimNotice = '';
      this.join();
    });
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  /** The confirmation of a ballot stays until the rounds on offer change (one opens or closes). */
  override willUpdate() {
    const open = (this.live.connection?.state?.rounds ?? [])
      .filter((r) => r.state === 'open')
      .map((r) => r.id)
      .join();
    if (open !== this.openRounds) {
      if (this.openRounds !== undefined && this.justSubmitted && !open.includes(this.justSubmitted))
        this.justSubmitted = null;
      this.openRounds = open;
    }
  }

  override updated(changed: Map<string, unknown>) {
    if (changed.has('params')) this.join();
    this.checkReceipts();
    const connection = this.live.connection;
    if (connection?.status === 'refused' && passGone.has(connection.refusal ?? '') && this.store?.pass()) {
      // The host rebound this member to another phone, or the pass no longer holds: claim again.
      this.store.clearPass();
      this.claimNotice = t(`error.${connection.refusal}`);
      this.join();
    }
  }

  private get meetingId() {
    return this.params.meetingId ?? '';
  }

  /** Picks how to join: this phone's pass, else the signed-in account; none → the claim form. */
  private join() {
    if (!this.meetingId) return;
    this.store = new DeviceStore(browserStore(), this.meetingId);
    const pass = this.store.pass();
    const user = currentUser();
    let auth: LiveAuth | null = null;
    if (pass) auth = { kind: pass.kind, token: pass.token };
    else if (user) auth = { kind: 'session', as: 'member' };
    const current = this.live.connection;
    if (current && JSON.stringify(currentAuth.get(current)) === JSON.stringify(auth)) return;
    if (!auth) {
      this.live.disconnect();
      this.requestUpdate();
      return;
    }
    const connection = this.live.connect({ meetingId: this.meetingId, auth });
    currentAuth.set(connection, auth);
  }

  /** After a ballot round closes, ask once for its bulletin so the receipt can be checked. */
  private checkReceipts() {
    const connection = this.live.connection;
    if (!connection?.state || connection.status !== 'online') {
      // An answer lost with the connection is asked for again once it is back.
      this.requestedBulletins.clear();
      return;
    }
    const receipts = connection.store.receipts();
    for (const round of connection.state.rounds) {
      const known = connection.bulletins.has(round.id) || this.requestedBulletins.has(round.id);
      if (round.state !== 'closed' || !receipts[round.id] || known) continue;
      this.requestedBulletins.add(round.id);
      connection.requestBulletin(round.id);
    }
  }

  override render() {
    const connection = this.live.connection;
    const languageButton = html`<button class="lang" lang=${locale() === 'zh-CN' ? 'en' : 'zh-CN'}
      @click=${() => setLocale(locale() === 'zh-CN' ? 'en' : 'zh-CN')}>${locale() === 'zh-CN' ? 'English' : '中文'}</button>`;
    if (!connection) {
      if (currentUser() === undefined) return html`<p class="task muted">${t('common.loading')}</p>`;
      return html`<mj-live-strip meetingTitle=${t('liveUi.join.title')} .status=${null}>${languageButton}</mj-live-strip>
        <div class="task"><mj-claim-form .notice=${this.claimNotice} .next=${location.pathname}></mj-claim-form></div>`;
    }
    const st = connection.state;
    const role = connection.welcome?.role ?? null;
    return html`
      <mj-live-strip
        meetingTitle=${st?.meeting.title ?? connection.store.title()}
        .presence=${role === 'member' || role === 'observer' ? role : null}
        .notPresent=${connection.notPresent}
        .status=${connection.status}
        .pending=${connection.pendingCount}
      >${languageButton}</mj-live-strip>
      ${st?.timer?.endsAt ? html`<div class="timer"><mj-countdown .timer=${st.timer} .clockOffsetMs=${connection.clockOffsetMs}></mj-countdown></div>` : nothing}
      <main>${this.renderBody(connection)}</main>
    `;
  }

  private renderBody(connection: LiveConnection): TemplateResult {
    if (connection.status === 'refused') return this.renderRefused(connection);
    const st = connection.state;
    if (!st) return html`<p class="task muted">${t('liveUi.status.connecting')}</p>`;
    const refused = [...connection.refused.entries()];
    const refusedBanner = refused.length
      ? html`<div class="task">${refused.map(
          ([clientId, r]) =>
            html`<div class="alert error refused" role="alert">
              <span>${t('liveUi.notAccepted')} ${t(`error.${r.error.code}`)}</span>
              <button type="button" @click=${() => {
                connection.refused.delete(clientId);
                this.requestUpdate();
              }}>${t('liveUi.gotIt')}</button>
            </div>`,
        )}</div>`
      : nothing;
    if (!st.meeting.open)
      return html`${refusedBanner}<div class="waiting"><div class="big-icon">${doneIcon}</div><h1>${t('liveUi.ended')}</h1></div>${this.renderReceipts(connection)}`;
    const role = connection.welcome?.role ?? 'member';
    // Tasks stay on screen: once the host marks the member present, the next answer goes through.
    const notPresent =
      role === 'member' && connection.notPresent
        ? html`<div class="task"><div class="alert" role="status">${t('liveUi.notCheckedIn.hint')}</div></div>`
        : nothing;
    const tasks = openTasks(st, role, connection.answeredRounds(), connection.pendingRounds());
    const confirmation = this.renderConfirmation(connection);
    const task = tasks[0];
    if (!task) return html`${refusedBanner}${notPresent}${confirmation}${this.renderWaiting(connection)}`;
    return html`${refusedBanner}${notPresent}${confirmation}
      ${this.renderTask(task, connection)}
      ${tasks.length > 1 ? html`<p class="more">${t('liveUi.moreTasks', { n: tasks.length - 1 })}</p>` : nothing}`;
  }

  private renderTask(round: RoundView, connection: LiveConnection) {
    // Keyed by round, so a new round never inherits the previous form's choices.
    return keyed(round.id, this.taskElement(round, connection));
  }

  private taskElement(round: RoundView, connection: LiveConnection) {
    switch (round.kind) {
      case 'survey':
        return html`<mj-survey-task .round=${round} .connection=${connection}></mj-survey-task>`;
      case 'appraisal':
        return html`<mj-appraisal-task .round=${round} .connection=${connection}></mj-appraisal-task>`;
      case 'poll':
        return html`<mj-poll-task .round=${round} .connection=${connection}></mj-poll-task>`;
      case 'criticism':
        return html`<mj-criticism-task .round=${round} .connection=${connection}></mj-criticism-task>`;
    }
  }

  /** "已提交，回执 7F3K-Q2" — or, while it waits on the phone, that it is saved and will be sent. */
  private renderConfirmation(connection: LiveConnection) {
    const roundId = this.justSubmitted;
    if (!roundId) return nothing;
    const receipt = connection.store.receipts()[roundId];
    const refused = [...connection.refused.values()].some(
      (r) => 'roundId' in r.submission && r.submission.roundId === roundId,
    );
    if (refused) return nothing;
    const waiting = connection.pendingRounds().has(roundId);
    return html`<section class="card confirm" role="status">
      <div class="done">
        ${
          receipt && !waiting
            ? html`<div class="tick">${doneIcon}</div>
              <p>${t('liveUi.submittedReceipt')} <span class="receipt">${shortReceipt(receipt)}</span></p>
              <p class="hint">${t('liveUi.receiptHint')}</p>`
            : html`<div class="tick pending">${hourglassIcon}</div>
              <p>${connection.status === 'online' ? t('liveUi.sending') : t('liveUi.savedOffline')}</p>`
        }
        <button type="button" @click=${() => (this.justSubmitted = null)}>${t('liveUi.gotIt')}</button>
      </div>
    </section>`;
  }

  private renderWaiting(connection: LiveConnection) {
    const st = connection.state!;
    const observerAppraisal =
      connection.welcome?.role === 'observer' &&
      st.rounds.some((r) => r.state === 'open' && r.kind === 'appraisal');
    const revealed = lastRevealed(st);
    return html`
      <div class="waiting">
        <div class="big-icon">${hourglassIcon}</div>
        <h1>${t('liveUi.waiting.title')}</h1>
        <p class="muted">${t(observerAppraisal ? 'liveUi.appraisal.observer' : 'liveUi.waiting.text')}</p>
      </div>
      ${
        revealed
          ? html`<section class="card" aria-labelledby="results-h">
            <h2 id="results-h">${revealed.title}</h2>
            <mj-round-results .round=${revealed}></mj-round-results>
          </section>`
          : nothing
      }
      ${this.renderReceipts(connection)}
    `;
  }

  /** This phone's receipts, each confirmed against the bulletin once its round has closed. */
  private renderReceipts(connection: LiveConnection) {
    const receipts = connection.store.receipts();
    const rounds = (connection.state?.rounds ?? []).filter((r) => receipts[r.id]);
    if (rounds.length === 0) return nothing;
    return html`<section class="card" aria-labelledby="receipts-h">
      <h2 id="receipts-h">${t('liveUi.myReceipts')}</h2>
      <ul class="receipts">
        ${rounds.map((round) => {
          const counted = connection.receiptCounted(round.id);
          return html`<li>
            <div><strong>${round.title}</strong> · <span class="receipt">${shortReceipt(receipts[round.id]!)}</span></div>
            <div>
              ${
                round.state !== 'closed'
                  ? html`<span class="muted">${t('liveUi.receiptOpen')}</span>`
                  : counted === true
                    ? html`<span class="counted">✓ ${t('liveUi.receiptCounted')}</span>`
                    : counted === false
                      ? html`<span class="missing">${t('liveUi.receiptMissing')}</span>`
                      : html`<span class="muted">${t('liveUi.receiptChecking')}</span>`
              }
            </div>
          </li>`;
        })}
      </ul>
    </section>`;
  }

  private renderRefused(connection: LiveConnection) {
    const code = connection.refusal ?? 'live.notOpen';
    if (code === 'live.notOpen')
      return html`<div class="waiting"><div class="big-icon">${hourglassIcon}</div>
        <h1>${t('liveUi.notOpenYet')}</h1>
        <p class="muted">${t('liveUi.notOpenHint')}</p>
        <button type="button" @click=${() => connection.retryNow()}>${t('common.retry')}</button></div>`;
    return html`<div class="task">
      <div class="alert error" role="alert">${t(`error.${code}`)}</div>
      ${code === 'live.notInvited' || code === 'auth.required' ? html`<mj-claim-form .next=${location.pathname}></mj-claim-form>` : nothing}
    </div>`;
  }
}

/** The auth each connection was opened with, so a re-render does not reconnect needlessly. */
const currentAuth = new WeakMap<LiveConnection, LiveAuth | null>();

declare global {
  interface HTMLElementTagNameMap {
    'mj-live-phone': MjLivePhone;
  }
}
