import { css, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type { z } from 'zod';
import type { LiveState, RoundView } from '../../shared/schemas/live.ts';
import type { projectorLinkResponse } from '../../shared/schemas/live-http.ts';
import { api } from '../core/api.ts';
import { errorBanner } from '../core/forms.ts';
import { t } from '../core/i18n.ts';
import type { ConfirmOptions, MjConfirmDialog } from '../core/mj-confirm-dialog.ts';
import { MjPage } from '../core/page.ts';
import { currentUser } from '../core/session.ts';
import { baseStyles } from '../core/styles.ts';
import type { LiveConnection } from './connection.ts';
import { LiveController } from './live-controller.ts';
import '../core/mj-confirm-dialog.ts';
import './mj-console-attendance.ts';
import './mj-console-passes.ts';
import './mj-console-round.ts';
import './mj-round-editor.ts';
import './mj-timer-control.ts';

type ProjectorLink = z.infer<typeof projectorLinkResponse>;
/** What the right-hand side shows: check-in, the phones' passes, a new round, or one round. */
type Selection = 'attendance' | 'passes' | 'new' | { round: string };

/**
 * The host console (/meetings/:id/live, a laptop beside the projector): the session (open/close,
 * join code, projector link on a second screen, timer) on top, the run-sheet on the left (check-in,
 * passes, the rounds in order, a new round), and on the right what is selected, live. Every change
 * is a host command over HTTP; the state comes back over the socket, so several hosts' laptops and
 * the wall always agree.
 */
@customElement('mj-live-console')
export class MjLiveConsole extends MjPage {
  static override styles = [
    baseStyles,
    css`
      .top { display: flex; flex-wrap: wrap; align-items: center; gap: 0.75rem 1.25rem; margin-bottom: 0.75rem; }
      .top h1 { margin: 0; flex: 1 1 20rem; }
      .top .org { display: block; font-size: 0.9rem; font-weight: normal; color: var(--mj-muted); }
      .session { display: flex; flex-wrap: wrap; align-items: center; gap: 0.75rem; }
      .session img { width: 64px; height: 64px; border: 1px solid var(--mj-line); border-radius: 4px; }
      .join-code { font-family: ui-monospace, Menlo, monospace; font-size: 1.5rem; font-weight: 800; letter-spacing: 0.12em; }
      .card.bar { display: flex; flex-direction: column; gap: 0.5rem; }
      .link-out { font-size: 0.85rem; overflow-wrap: anywhere; }
      /* minmax(0, …): a wide table scrolls inside its panel instead of widening the page on a phone. */
      .layout { display: grid; grid-template-columns: 17rem minmax(0, 1fr); gap: 1rem; align-items: start; margin-top: 1rem; }
      nav.sheet ol { list-style: none; padding: 0; margin: 0; }
      nav.sheet li { margin-bottom: 0.35rem; }
      nav.sheet button { width: 100%; justify-content: flex-start; text-align: left; flex-wrap: wrap; gap: 0.15rem 0.5rem; }
      nav.sheet button[aria-current='true'] { border-color: var(--mj-red); border-width: 2px; background: #fbf3f3; }
      nav.sheet .meta { font-size: 0.8rem; color: var(--mj-muted); width: 100%; }
      nav.sheet h2 { font-size: 0.9rem; color: var(--mj-muted); text-transform: uppercase; margin: 0.75rem 0 0.4rem; }
      .status { font-size: 0.9rem; }
      @media (max-width: 800px) { .layout { grid-template-columns: minmax(0, 1fr); } }
      @media print {
        .no-print { display: none !important; }
        .layout { display: block; }
        .card { border: none; padding: 0; }
      }
    `,
  ];
  private readonly live = new LiveController(this);
  @state() private selection: Selection | null = null;
  @state() private error: unknown;
  @state() private busy = false;
  @state() private projectorUrl = '';
  @query('mj-confirm-dialog') private dialog!: MjConfirmDialog;
  private readonly ask = (options: ConfirmOptions) => this.dialog.confirm(options);

  override connectedCallback() {
    super.connectedCallback();
    this.addEventListener('mj-select', (e) => {
      this.selection = { round: (e as CustomEvent<string>).detail };
    });
  }

  override updated(changed: Map<string, unknown>) {
    if (changed.has('params') && this.params.id)
      this.live.connect({ meetingId: this.params.id, auth: { kind: 'session', as: 'host' } });
  }

  private url(path: string) {
    return `/api/meetings/${this.params.id}/live${path}`;
  }

  private async command(action: () => Promise<unknown>) {
    this.busy = true;
    this.error = undefined;
    try {
      return await action();
    } catch (err) {
      this.error = err;
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const connection = this.live.connection;
    if (!connection) return nothing;
    if (connection.status === 'refused')
      return html`<div class="alert error" role="alert">${t(`error.${connection.refusal}`)}</div>`;
    const st = connection.state;
    if (!st) return html`<p class="muted">${t('liveUi.status.connecting')}</p>`;
    return html`
      <div class="top no-print">
        <h1>${st.meeting.title}<span class="org">${st.meeting.organizationName} · ${t(`meetingType.${st.meeting.type}`)}</span></h1>
        <span class="status" role="status">${t(`liveUi.status.${connection.status}`)}</span>
      </div>
      <div class="card bar no-print">${this.renderSession(st, connection)}</div>
      ${errorBanner(this.error)}
      <div class="layout">
        <nav class="sheet no-print" aria-label=${t('liveUi.console.runSheet')}>${this.renderSheet(st)}</nav>
        <div class="card">${this.renderSelected(st)}</div>
      </div>
      <mj-confirm-dialog></mj-confirm-dialog>
    `;
  }

  private renderSession(st: LiveState, connection: LiveConnection) {
    const meeting = st.meeting;
    return html`<div class="session">
        ${
          meeting.open
            ? html`<img src="/api/live/qr/${meeting.joinCode}" alt=${t('liveUi.wall.qrAlt')} />
              <span>${t('liveUi.join.codeLabel')} <span class="join-code">${meeting.joinCode}</span></span>
              <button ?disabled=${this.busy} @click=${this.openProjector}>${t('liveUi.console.projector')}</button>
              <button class="danger" ?disabled=${this.busy} @click=${this.closeSession}>${t('liveUi.console.closeSession')}</button>`
            : html`<span class="badge warn">${t('liveUi.console.sessionClosed')}</span>
              <button class="primary" ?disabled=${this.busy} @click=${this.openSession}>${t('liveUi.console.openSession')}</button>
              <button ?disabled=${this.busy} @click=${this.openProjector}>${t('liveUi.console.projector')}</button>`
        }
      </div>
      ${
        this.projectorUrl
          ? html`<p class="link-out muted">${t('liveUi.console.projectorHint')} <a href=${this.projectorUrl} target="mj-projector">${this.projectorUrl.replace(/#.*/, '#…')}</a></p>`
          : nothing
      }
      <mj-timer-control .meetingId=${this.params.id!} .live=${st} .clockOffsetMs=${connection.clockOffsetMs}></mj-timer-control>`;
  }

  private renderSheet(st: LiveState) {
    const attendance = st.attendance;
    const current = this.current(st);
    const item = (selection: Selection, label: unknown, meta: unknown) => html`<li>
      <button type="button" aria-current=${sameSelection(current, selection) ? 'true' : 'false'} @click=${() => (this.selection = selection)}>
        ${label}<span class="meta">${meta}</span>
      </button>
    </li>`;
    return html`
      <h2>${t('liveUi.console.before')}</h2>
      <ol>
        ${item(
          'attendance',
          t('liveUi.console.attendance'),
          attendance
            ? t('liveUi.console.attendanceMeta', {
                present: attendance.present,
                expected: attendance.expected,
              })
            : '',
        )}
        ${item('passes', t('liveUi.passes.title'), t('liveUi.passes.meta'))}
      </ol>
      <h2>${t('liveUi.console.rounds')}</h2>
      <ol>
        ${st.rounds.map((round) =>
          item(
            { round: round.id },
            html`<strong>${round.position}. ${round.title}</strong>`,
            `${t(`roundKind.${round.kind}`)} · ${t(`roundState.${round.state}`)}${round.state === 'draft' ? '' : ` · ${round.answered}/${round.eligible}`}`,
          ),
        )}
        ${item('new', html`<strong>+ ${t('liveUi.editor.title')}</strong>`, '')}
      </ol>
    `;
  }

  /** What is selected; by default the round in progress, else check-in. */
  private current(st: LiveState): Selection {
    const selection = this.selection;
    if (selection && (typeof selection === 'string' || st.rounds.some((r) => r.id === selection.round)))
      return selection;
    const open = st.rounds.find((r) => r.state === 'open');
    return open ? { round: open.id } : 'attendance';
  }

  private renderSelected(st: LiveState) {
    const selection = this.current(st);
    const id = this.params.id!;
    if (selection === 'attendance')
      return html`<mj-console-attendance .meetingId=${id} .live=${st} .ask=${this.ask}></mj-console-attendance>`;
    if (selection === 'passes')
      return html`<mj-console-passes .meetingId=${id} .live=${st} .ask=${this.ask}></mj-console-passes>`;
    if (selection === 'new')
      return html`<mj-round-editor .meetingId=${id} .live=${st} .ask=${this.ask} .hostMemberId=${this.hostMemberId(st)}></mj-round-editor>`;
    const round = st.rounds.find((r) => r.id === selection.round) as RoundView;
    // Keyed by round: a panel's half-done forms must not carry over to another round.
    return keyed(
      round.id,
      html`<mj-console-round .meetingId=${id} .live=${st} .ask=${this.ask} .round=${round}></mj-console-round>`,
    );
  }

  /** The host's own roster entry among the invitees (the secretary speaks first by custom). */
  private hostMemberId(st: LiveState): string {
    const mine = new Set((currentUser()?.grants ?? []).flatMap((g) => (g.memberId ? [g.memberId] : [])));
    return st.attendance?.attendees?.find((a) => mine.has(a.memberId))?.memberId ?? '';
  }

  private openSession() {
    return this.command(() => api.post(this.url('/open')));
  }

  private async closeSession() {
    const ok = await this.ask({
      title: t('liveUi.console.closeSessionTitle'),
      message: t('liveUi.console.closeSessionBody'),
      confirmLabel: t('liveUi.console.closeSession'),
      danger: true,
    });
    if (ok) await this.command(() => api.post(this.url('/close')));
  }

  /**
   * A fresh projector link (the previous one stops working) opened in its own window, to drag to
   * the second screen. Shown too, in case the browser blocked the window.
   */
  private async openProjector() {
    const link = (await this.command(() => api.post<ProjectorLink>(this.url('/projector-link')))) as
      | ProjectorLink
      | undefined;
    if (!link) return;
    this.projectorUrl = link.url;
    window.open(link.url, 'mj-projector');
  }
}

function sameSelection(a: Selection, b: Selection): boolean {
  return typeof a === 'string' || typeof b === 'string' ? a === b : a.round === b.round;
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-live-console': MjLiveConsole;
  }
}
