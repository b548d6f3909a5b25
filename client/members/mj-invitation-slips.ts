import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { IssueInvitationsResponse, RosterResponse } from '../../shared/schemas/members.ts';
import { ActionController } from '../core/action.ts';
import { api } from '../core/api.ts';
import { errorBanner } from '../core/forms.ts';
import { formatDate, t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { baseStyles } from '../core/styles.ts';
import { listOf } from './labels.ts';

/** Page size and margins must be set on the document: @page inside a shadow root is ignored. */
const pageSheet = new CSSStyleSheet();
pageSheet.replaceSync('@page { size: A4 portrait; margin: 10mm; }');

/**
 * Printable invitation slips (A4, eight per page, cut lines between them): each with the member's
 * name, the code, the link and its QR code. Codes exist in plain text only in this page's memory,
 * so it creates them when asked — not on load — and says they cannot be shown again.
 */
@customElement('mj-invitation-slips')
export class MjInvitationSlips extends MjPage {
  static override styles = [
    baseStyles,
    css`
      :host { background: #fff; min-height: 100vh; }
      .toolbar { max-width: 900px; margin: 0 auto; padding: 1rem; }
      .sheet { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 330px), 1fr)); gap: 0.75rem; padding: 1rem; max-width: 1100px; margin: 0 auto; }
      .slip {
        border: 1px dashed #999;
        padding: 0.9rem 1rem;
        display: grid;
        grid-template-columns: 1fr auto;
        grid-template-areas: 'head head' 'who qr' 'code qr' 'link link' 'foot foot';
        gap: 0.2rem 0.75rem;
        break-inside: avoid;
        page-break-inside: avoid;
        color: #000;
      }
      .head { grid-area: head; font-size: 0.8rem; color: #444; display: flex; justify-content: space-between; gap: 0.5rem; }
      .who { grid-area: who; }
      .who .name { font-size: 1.5rem; font-weight: 700; line-height: 1.2; }
      .who .branch { font-size: 0.85rem; color: #444; }
      .qr { grid-area: qr; width: 104px; height: 104px; }
      .code { grid-area: code; align-self: end; }
      .code .label { font-size: 0.75rem; color: #444; }
      .code .value { font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace; font-size: 1.45rem; font-weight: 700; letter-spacing: 0.08em; }
      .link { grid-area: link; font-size: 0.78rem; overflow-wrap: anywhere; }
      .foot { grid-area: foot; font-size: 0.78rem; color: #444; }
      @media print {
        :host { min-height: 0; }
        .sheet { grid-template-columns: 1fr 1fr; gap: 0; padding: 0; max-width: none; }
        .slip { height: 68mm; padding: 4mm 5mm; }
        .qr { width: 30mm; height: 30mm; }
      }
    `,
  ];

  @state() private roster?: RosterResponse;
  @state() private issued?: IssueInvitationsResponse;
  private readonly action = new ActionController(this);

  override connectedCallback() {
    super.connectedCallback();
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, pageSheet];
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== pageSheet);
  }

  override updated(changed: Map<string, unknown>) {
    if (changed.has('params'))
      void this.action.run(async () => {
        this.roster = await api.get<RosterResponse>(`/api/organizations/${this.params.orgId}/members`);
      });
  }

  /** The members asked for in the address (?member=…), or none for "everyone without an account". */
  private get selected(): string[] {
    return this.query.getAll('member');
  }

  override render() {
    return html`
      <div class="toolbar no-print">
        <p class="small"><a href="/orgs/${this.params.orgId}/members">${t('members.backToRoster')}</a></p>
        <h1>${t('members.slips.title')}</h1>
        ${errorBanner(this.action.error)}
        ${this.issued ? this.renderReady(this.issued) : this.renderIntro()}
      </div>
      ${this.issued ? html`<div class="sheet">${this.issued.slips.map((s) => this.renderSlip(s, this.issued!.organizationName))}</div>` : nothing}
    `;
  }

  private renderIntro() {
    const roster = this.roster;
    if (!roster) return html`<p class="muted">${t('common.loading')}</p>`;
    const selected = this.selected;
    const names = selected.length
      ? roster.members.filter((m) => selected.includes(m.id)).map((m) => m.fullName)
      : roster.members.filter((m) => m.details && !m.details.hasAccount).map((m) => m.fullName);
    if (names.length === 0) return html`<div class="alert ok" role="status">${t('members.slips.none')}</div>`;
    return html`
      <p>${selected.length ? t('members.slips.introSome', { n: names.length }) : t('members.slips.introAll')}</p>
      <p class="muted">${listOf(names)}</p>
      <div class="alert warn" role="note">${t('members.slips.supersedes')}</div>
      <button class="primary" ?disabled=${this.action.busy} @click=${this.generate}>${t('members.slips.generate')}</button>
    `;
  }

  private renderReady(issued: IssueInvitationsResponse) {
    if (issued.slips.length === 0)
      return html`<div class="alert ok" role="status">${t('members.slips.none')}</div>`;
    return html`
      <div class="alert warn" role="status">${t('members.slips.ready', { n: issued.slips.length })}</div>
      <button class="primary" @click=${() => window.print()}>${t('common.print')}</button>
    `;
  }

  private renderSlip(slip: IssueInvitationsResponse['slips'][number], organizationName: string) {
    return html`<article class="slip" aria-label=${slip.memberName}>
      <div class="head"><span>${t('members.slips.heading')}</span><span>${t('members.slips.validUntil', { date: formatDate(slip.expiresAt) })}</span></div>
      <div class="who"><div class="name">${slip.memberName}</div><div class="branch">${organizationName}</div></div>
      <img class="qr" src="data:image/svg+xml;charset=utf-8,${encodeURIComponent(slip.qrSvg)}" alt=${t('members.slips.qrAlt', { name: slip.memberName })} />
      <div class="code"><div class="label">${t('members.slips.code')}</div><div class="value">${slip.code}</div></div>
      <div class="link">${t('members.slips.scan')} ${slip.url}</div>
      <div class="foot">${t('members.slips.howTo')}</div>
    </article>`;
  }

  private async generate() {
    const selected = this.selected;
    await this.action.run(async () => {
      this.issued = await api.post<IssueInvitationsResponse>(
        `/api/organizations/${this.params.orgId}/invitations`,
        selected.length ? { memberIds: selected } : {},
      );
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-invitation-slips': MjInvitationSlips;
  }
}
