import { css, html, nothing, type TemplateResult } from 'lit';
import { customElement } from 'lit/decorators.js';
import type { LiveState, RoundView } from '../../shared/schemas/live.ts';
import { t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { baseStyles } from '../core/styles.ts';
import { LiveController } from './live-controller.ts';
import { activeSubject, type WallFocus, wallFocus } from './live-view.ts';
import './mj-countdown.ts';
import './mj-progress-ring.ts';
import './mj-round-results.ts';

/**
 * The wall (/live/:meetingId/projector#<token>, full screen, opened by the host on a second screen):
 * before a round the QR code and the short join code; during a round how many have answered, a
 * ring and the timer — never a partial distribution; after the host reveals, bar charts, and
 * criticism items one at a time in their shuffled order. Nothing anonymous ever has a name beside
 * it. The token stays in the URL fragment, which browsers never send to a server.
 */
@customElement('mj-projector')
export class MjProjector extends MjPage {
  static override styles = [
    baseStyles,
    css`
      :host { min-height: 100vh; display: flex; flex-direction: column; background: #fff; font-size: clamp(16px, 1.9vw, 44px); }
      header { background: var(--mj-red); color: #fff; display: flex; align-items: center; gap: 1em; padding: 0.5em 1em; }
      header h1 { font-size: 1.3em; margin: 0; flex: 1; line-height: 1.2; }
      header .org { font-size: 0.8em; opacity: 0.9; }
      header .join { display: flex; align-items: center; gap: 0.5em; background: #fff; color: var(--mj-ink); border-radius: 0.3em; padding: 0.2em 0.5em; }
      header .join img { width: 3.2em; height: 3.2em; }
      header .join .code { font-size: 1.2em; }
      header mj-countdown { font-size: 1.4em; }
      main { flex: 1; display: flex; flex-direction: column; align-items: center; justify-content: center; padding: 1em 2em; text-align: center; gap: 0.8em; }
      .code { font-family: ui-monospace, Menlo, monospace; font-weight: 800; letter-spacing: 0.15em; }
      .lobby { display: flex; align-items: center; gap: 2.5em; flex-wrap: wrap; justify-content: center; }
      .lobby img { width: min(40vh, 34vw); height: min(40vh, 34vw); }
      .lobby .code { font-size: 3.2em; }
      .lobby .url { color: var(--mj-muted); font-size: 0.9em; }
      .kind { color: var(--mj-muted); font-size: 0.9em; margin: 0; }
      h2 { font-size: 1.9em; margin: 0; }
      .rounds { display: flex; gap: 3em; flex-wrap: wrap; justify-content: center; }
      mj-progress-ring { --ring-size: 8em; font-size: 1.2em; }
      .subject { font-size: 2.6em; font-weight: 800; margin: 0; }
      .phase { font-size: 1.3em; color: var(--mj-red); margin: 0; }
      blockquote.item { font-size: 1.7em; line-height: 1.45; max-width: 38em; margin: 0.4em auto; padding: 0.6em 1em; border-left: 0.25em solid var(--mj-red); background: #fbf3f3; text-align: left; white-space: pre-wrap; overflow-wrap: anywhere; }
      .item-no { color: var(--mj-muted); }
      .results { width: min(100%, 48em); text-align: left; }
      .note { color: var(--mj-muted); font-size: 1.1em; }
      .big-message { font-size: 1.6em; max-width: 30em; }
    `,
  ];
  private readonly live = new LiveController(this);
  /** The round the host changed last: the wall follows the host between rounds. */
  private lastTouched: string | null = null;
  private signatures = new Map<string, string>();

  override updated(changed: Map<string, unknown>) {
    if (changed.has('params')) this.join();
  }

  private join() {
    const token = decodeURIComponent(location.hash.replace(/^#/, ''));
    if (!this.params.meetingId || !token) return;
    this.live.connect({ meetingId: this.params.meetingId, auth: { kind: 'projector', token } });
  }

  override willUpdate() {
    const st = this.live.connection?.state;
    if (st) this.follow(st);
  }

  /** Notes which round changed since the last render (state, reveal, revealed items, phases). */
  private follow(state: LiveState) {
    for (const round of state.rounds) {
      const signature = JSON.stringify([
        round.state,
        round.revealed,
        round.criticism?.subjects.map((s) => [s.phase, s.revealed.length]),
      ]);
      const previous = this.signatures.get(round.id);
      if (previous !== undefined && previous !== signature) this.lastTouched = round.id;
      this.signatures.set(round.id, signature);
    }
  }

  override render() {
    const connection = this.live.connection;
    if (!connection) return html`<main><p class="big-message">${t('liveUi.wall.noToken')}</p></main>`;
    if (connection.status === 'refused')
      return html`<main><p class="big-message" role="alert">${t(
        connection.refusal === 'live.revoked' || connection.refusal === 'live.tokenInvalid'
          ? 'liveUi.wall.linkInvalid'
          : `error.${connection.refusal}`,
      )}</p></main>`;
    const st = connection.state;
    if (!st) return html`<main><p class="big-message">${t('liveUi.status.connecting')}</p></main>`;
    const focus = wallFocus(st, this.lastTouched);
    const showSmallJoin = st.meeting.open && focus.kind !== 'lobby';
    return html`
      <header>
        <h1>${st.meeting.title}<br /><span class="org">${st.meeting.organizationName}</span></h1>
        <mj-countdown .timer=${st.timer} .clockOffsetMs=${connection.clockOffsetMs}></mj-countdown>
        ${
          showSmallJoin
            ? html`<div class="join"><img src="/api/live/qr/${st.meeting.joinCode}" alt="" /><span class="code">${st.meeting.joinCode}</span></div>`
            : nothing
        }
        ${connection.status !== 'online' ? html`<span role="status">${t(`liveUi.status.${connection.status}`)}</span>` : nothing}
      </header>
      <main>${this.renderFocus(focus, st)}</main>
    `;
  }

  private renderFocus(focus: WallFocus, st: LiveState): TemplateResult {
    switch (focus.kind) {
      case 'lobby':
        return this.renderLobby(st);
      case 'open':
        return html`<div class="rounds">${focus.rounds.map((r) => this.renderOpen(r))}</div>`;
      case 'results':
        return html`${this.heading(focus.round)}
          <div class="results"><mj-round-results size="wall" .round=${focus.round}></mj-round-results></div>`;
      case 'closed':
        return this.renderClosed(focus.round);
    }
  }

  /** The round's title, with its kind above when the title does not already say it. */
  private heading(round: RoundView) {
    const kind = t(`roundKind.${round.kind}`);
    return html`${round.title === kind ? nothing : html`<p class="kind">${kind}</p>`}<h2>${round.title}</h2>`;
  }

  private renderLobby(st: LiveState) {
    if (!st.meeting.open) return html`<p class="big-message">${t('liveUi.wall.sessionClosed')}</p>`;
    const url = new URL(st.meeting.joinUrl, location.origin);
    const attendance = st.attendance;
    return html`<div class="lobby">
        <img src="/api/live/qr/${st.meeting.joinCode}" alt=${t('liveUi.wall.qrAlt')} />
        <div>
          <p class="note">${t('liveUi.wall.scan')}</p>
          <p class="code" aria-label=${t('liveUi.join.codeLabel')}>${st.meeting.joinCode}</p>
          <p class="url">${url.host}/j</p>
        </div>
      </div>
      ${attendance ? html`<p class="note">${t('liveUi.wall.checkedIn', { present: attendance.present, expected: attendance.expected })}</p>` : nothing}`;
  }

  private renderOpen(round: RoundView) {
    if (round.kind === 'criticism') return this.renderCriticism(round);
    return html`<div>
      ${this.heading(round)}
      ${round.poll ? html`<p class="note">${round.poll.question}</p>` : nothing}
      <mj-progress-ring .answered=${round.answered} .eligible=${round.eligible}></mj-progress-ring>
    </div>`;
  }

  /** The subject on turn, the phase, and the latest revealed item (they appear one at a time). */
  private renderCriticism(round: RoundView) {
    const subject = activeSubject(round);
    const subjects = round.criticism?.subjects ?? [];
    if (!subject)
      return html`<div><p class="kind">${t('roundKind.criticism')}</p><h2>${round.title}</h2>
        <p class="note">${t('liveUi.wall.subjectsDone', { done: round.answered, total: round.eligible })}</p></div>`;
    const latest = subject.revealed.at(-1);
    return html`<div>
      <p class="kind">${round.title} · ${t('liveUi.wall.subjectOf', { n: subject.position, total: subjects.length })}</p>
      <p class="subject">${subject.name}</p>
      <p class="phase">${t(`criticismPhase.${subject.phase}`)}</p>
      ${
        latest
          ? html`<p class="item-no">${t('liveUi.wall.itemNo', { n: subject.revealed.length })}${latest.concrete ? html` · ${t('liveUi.criticism.concreteShort')}` : nothing}</p>
            <blockquote class="item">${latest.text}${latest.authorName ? html`<br /><small>— ${latest.authorName}</small>` : nothing}</blockquote>`
          : subject.phase === 'criticism'
            ? html`<p class="note">${round.anonymous ? t('liveUi.wall.writeAnonymously') : t('liveUi.wall.writeNamed')}</p>`
            : nothing
      }
    </div>`;
  }

  private renderClosed(round: RoundView) {
    const note =
      round.kind === 'appraisal'
        ? t('liveUi.wall.appraisalClosed')
        : round.kind === 'criticism'
          ? t('liveUi.wall.criticismClosed')
          : t('liveUi.wall.awaitingReveal');
    return html`${this.heading(round)}
      ${round.kind !== 'criticism' ? html`<p class="note">${t('liveUi.wall.collected', { n: round.answered })}</p>` : nothing}
      <p class="big-message">${note}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-projector': MjProjector;
  }
}
