import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { z } from 'zod';
import type { issuedCode, issuedCodesResponse, passesResponse } from '../../shared/schemas/live-http.ts';
import { api } from '../core/api.ts';
import { errorBanner, formValues } from '../core/forms.ts';
import { formatDate, t } from '../core/i18n.ts';
import { baseStyles } from '../core/styles.ts';
import { tableWrap } from '../core/table-wrap.ts';
import { ConsolePanel, consoleStyles } from './console-panel.ts';

type Pass = z.infer<typeof passesResponse>['passes'][number];
type Issued = z.infer<typeof issuedCode>;
type IssuedCodes = z.infer<typeof issuedCodesResponse>;

/**
 * Phones without an account: the host prints one-time claim codes (a slip per member, and observer
 * codes for 列席人员), sees who has claimed, and rebinds a lost phone (the old one is cut off, the
 * reason recorded, a new code issued). Codes are shown once — only their hashes are stored — so
 * they stay on this screen, ready to print, until the page is left.
 */
@customElement('mj-console-passes')
export class MjConsolePasses extends ConsolePanel {
  static override styles = [
    baseStyles,
    consoleStyles,
    css`
      .history { font-size: 0.85rem; color: var(--mj-muted); }
      form.rebind { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: flex-end; margin-top: 0.5rem; }
      form.rebind input { width: auto; flex: 1; min-width: 12rem; }
      .slips { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 0.75rem; margin-top: 0.75rem; }
      .slip { border: 1px dashed var(--mj-ink); border-radius: 6px; padding: 0.75rem 1rem; break-inside: avoid; background: #fff; }
      .slip .who { font-weight: 700; font-size: 1.1rem; }
      .slip .code { font-family: ui-monospace, Menlo, monospace; font-size: 1.5rem; font-weight: 800; letter-spacing: 0.08em; margin: 0.25rem 0; }
      .slip p { margin: 0.2rem 0; font-size: 0.85rem; }
      @media print {
        .screen-only { display: none !important; }
        .slips { grid-template-columns: repeat(2, 1fr); }
      }
    `,
  ];
  @state() private passes: Pass[] = [];
  @state() private slips: Issued[] = [];
  @state() private notice = '';
  @state() private rebinding: string | null = null;
  private lastAttendance: unknown;

  override updated(changed: Map<string, unknown>) {
    // A member claiming a phone checks in: reload the pass list when attendance moves.
    if (changed.has('meetingId') || this.live.attendance !== this.lastAttendance) {
      this.lastAttendance = this.live.attendance;
      void this.load();
    }
  }

  private async load() {
    const result = await this.run(() => api.get<{ passes: Pass[] }>(this.url('/passes')));
    if (result) this.passes = result.passes;
  }

  private keep(issued: IssuedCodes | Issued | undefined) {
    if (!issued) return;
    const codes = 'codes' in issued ? issued.codes : [issued];
    const replaced = new Set(codes.map((c) => c.memberId ?? c.observerId));
    this.slips = [...this.slips.filter((s) => !replaced.has(s.memberId ?? s.observerId)), ...codes];
    const claimed = 'alreadyClaimed' in issued ? issued.alreadyClaimed.length : 0;
    this.notice =
      t('liveUi.passes.issued', { n: codes.length }) +
      (claimed ? ` ${t('liveUi.passes.alreadyClaimed', { n: claimed })}` : '');
    void this.load();
  }

  override render() {
    const members = this.passes.filter((p) => p.memberId);
    const observers = this.passes.filter((p) => p.observerId);
    return html`
      <div class="screen-only">
        <div class="panel-head"><h2>${t('liveUi.passes.title')}</h2></div>
        <p class="muted">${t('liveUi.passes.help')}</p>
        <div class="actions">
          <button class="primary" ?disabled=${this.busy} @click=${async () => this.keep(await this.post<IssuedCodes>('/claim-codes'))}>${t('liveUi.passes.issueAll')}</button>
          ${observers.length > 0 ? html`<button ?disabled=${this.busy} @click=${async () => this.keep(await this.post<IssuedCodes>('/observer-codes'))}>${t('liveUi.passes.issueObservers')}</button>` : nothing}
          ${this.slips.length > 0 ? html`<button @click=${() => window.print()}>${t('liveUi.passes.print', { n: this.slips.length })}</button>` : nothing}
        </div>
        ${this.notice ? html`<div class="alert ok" role="status">${this.notice}</div>` : nothing}
        ${errorBanner(this.error)}
        ${tableWrap(
          t('liveUi.passes.title'),
          html`<table>
          <thead><tr><th>${t('common.name')}</th><th>${t('liveUi.passes.phone')}</th><th>${t('common.actions')}</th></tr></thead>
          <tbody>${[...members, ...observers].map((p) => this.renderRow(p))}</tbody>
        </table>`,
        )}
      </div>
      ${
        this.slips.length > 0
          ? html`<section aria-labelledby="slips-h">
            <h3 id="slips-h" class="screen-only">${t('liveUi.passes.slips')}</h3>
            <div class="slips">${this.slips.map((s) => this.renderSlip(s))}</div>
          </section>`
          : nothing
      }
    `;
  }

  private renderRow(pass: Pass) {
    const id = (pass.memberId ?? pass.observerId)!;
    const stateText =
      pass.state === 'claimed'
        ? t('liveUi.passes.claimedAt', { time: formatDate(pass.claimedAt, true) })
        : t(`liveUi.passes.state.${pass.state}`);
    return html`<tr>
      <td>${pass.name}${pass.observerId ? html` <span class="badge">${t('role.observer')}</span>` : nothing}</td>
      <td>
        <span class="badge ${pass.state === 'claimed' ? 'ok' : ''}">${stateText}</span>
        ${pass.revoked.map((r) => html`<div class="history">${t('liveUi.passes.revokedAt', { time: formatDate(r.at, true), by: r.byName ?? '', reason: r.reason })}</div>`)}
      </td>
      <td>
        ${
          pass.memberId && pass.state === 'claimed'
            ? this.rebinding === id
              ? html`<form class="rebind" @submit=${(e: SubmitEvent) => this.rebind(e, id)} novalidate>
                  <label class="visually-hidden" for="reason-${id}">${t('common.reason')}</label>
                  <input id="reason-${id}" name="reason" required maxlength="200" placeholder=${t('liveUi.passes.reasonPlaceholder')} />
                  <button class="primary" type="submit" ?disabled=${this.busy}>${t('liveUi.passes.rebindConfirm')}</button>
                  <button type="button" @click=${() => (this.rebinding = null)}>${t('common.cancel')}</button>
                </form>`
              : html`<button @click=${() => (this.rebinding = id)}>${t('liveUi.passes.rebind')}</button>`
            : pass.state !== 'claimed'
              ? html`<button ?disabled=${this.busy} @click=${() => this.issueOne(pass)}>${t(pass.state === 'issued' ? 'liveUi.passes.reissue' : 'liveUi.passes.issueOne')}</button>`
              : nothing
        }
      </td>
    </tr>`;
  }

  private async issueOne(pass: Pass) {
    const issued = pass.memberId
      ? await this.post<IssuedCodes>('/claim-codes', { memberIds: [pass.memberId] })
      : await this.post<IssuedCodes>('/observer-codes', { observerIds: [pass.observerId] });
    this.keep(issued);
  }

  private async rebind(event: SubmitEvent, memberId: string) {
    event.preventDefault();
    const { reason } = formValues(event.target as HTMLFormElement);
    if (!reason) return;
    const issued = await this.post<Issued>('/rebind', { memberId, reason });
    if (issued) {
      this.rebinding = null;
      this.keep(issued);
    }
  }

  private renderSlip(slip: Issued) {
    const code = this.live.meeting.joinCode;
    return html`<div class="slip">
      <div class="who">${slip.name}${slip.observerId ? ` · ${t('role.observer')}` : ''}</div>
      <div class="code">${slip.code}</div>
      <p>${t(slip.observerId ? 'liveUi.passes.slipObserverHow' : 'liveUi.passes.slipHow')}</p>
      <p>${location.host}/j${code ? ` · ${t('liveUi.join.codeLabel')} ${code}` : ''}</p>
      <p>${t('liveUi.passes.validUntil', { date: formatDate(slip.expiresAt, true) })}</p>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-console-passes': MjConsolePasses;
  }
}
