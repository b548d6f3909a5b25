import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { MinutesView } from '../../shared/schemas/minutes.ts';
import { api } from '../core/api.ts';
import { errorBanner } from '../core/forms.ts';
import { formatDate, t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { baseStyles } from '../core/styles.ts';
import { pair, withNote } from '../meetings/meeting-format.ts';
import { amendmentList, fileSize, minutesSections, recordRows, signatureText } from './minutes-format.ts';

/**
 * @page rules are ignored inside shadow roots, so the paper size and margins go into the document
 * while this page is shown.
 */
const pageRule = '@page { size: A4; margin: 20mm 18mm 22mm; }';

/**
 * The minutes on paper: every field of 会议记录, the signatures with their times, and the amendment
 * history as an appendix. A bare route, so nothing but the record prints.
 */
@customElement('mj-minutes-print')
export class MjMinutesPrint extends MjPage {
  static override styles = [
    baseStyles,
    css`
      :host { background: #fff; color: #000; }
      .sheet { max-width: 180mm; margin: 0 auto; padding: 1.5rem 1rem 3rem; font-size: 11pt; line-height: 1.6; }
      .toolbar { display: flex; gap: 0.75rem; flex-wrap: wrap; padding: 0.75rem 1rem; background: var(--mj-bg); border-bottom: 1px solid var(--mj-line); }
      header { text-align: center; margin-bottom: 1rem; }
      header h1 { font-size: 18pt; margin: 0; letter-spacing: 0.3em; }
      header p { margin: 0.25rem 0 0; }
      table.record { border: 1px solid #000; }
      table.record th, table.record td { border: 1px solid #000; padding: 4pt 6pt; color: #000; }
      table.record th { width: 24%; background: #f3f3f3; font-weight: 600; font-size: 10.5pt; }
      section { margin-top: 1rem; }
      section h2 { font-size: 12pt; margin: 0 0 0.25rem; border-bottom: 1px solid #000; padding-bottom: 2pt; }
      section ol { margin: 0; padding-left: 1.5em; }
      .speech { margin: 0.25rem 0; }
      .text { white-space: pre-wrap; }
      table.votes th, table.votes td { border: 1px solid #000; color: #000; padding: 3pt 5pt; font-size: 10.5pt; }
      .signatures { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; margin-top: 1.5rem; }
      .signatures div { border-top: 1px solid #000; padding-top: 4pt; }
      .appendix { margin-top: 2rem; }
      .muted { color: #555; }
      @media print {
        .toolbar { display: none; }
        .sheet { max-width: none; padding: 0; }
        .appendix { break-before: page; }
        section, tr, .speech, .signatures, ol.amendments > li { break-inside: avoid; }
        section h2 { break-after: avoid; }
      }
      @media (max-width: 600px) {
        .sheet { font-size: 1rem; }
        table.record th { width: 34%; }
        .signatures { grid-template-columns: 1fr; }
      }
    `,
  ];
  @state() private view?: MinutesView;
  @state() private error: unknown;
  private pageStyle?: HTMLStyleElement;

  override connectedCallback() {
    super.connectedCallback();
    this.pageStyle = document.createElement('style');
    this.pageStyle.textContent = pageRule;
    document.head.append(this.pageStyle);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.pageStyle?.remove();
  }

  override updated(changed: Map<string, unknown>) {
    if (changed.has('params')) void this.load();
  }

  private async load() {
    try {
      this.view = await api.get<MinutesView>(`/api/meetings/${this.params.id}/minutes`);
      document.title = `${t('minutes.title')} · ${this.view.record.title}`;
      this.error = undefined;
    } catch (err) {
      this.error = err;
    }
  }

  override render() {
    if (this.error) return html`<div class="sheet">${errorBanner(this.error)}</div>`;
    const view = this.view;
    if (!view) return html`<p class="muted sheet">${t('common.loading')}</p>`;
    return html`
      <div class="toolbar">
        <button type="button" class="primary" @click=${() => window.print()}>${t('common.print')}</button>
        <a class="button" href="/meetings/${view.meetingId}/minutes">${t('common.back')}</a>
        ${view.lockedAt ? nothing : html`<span class="badge warn">${t('minutes.draftWatermark')}</span>`}
      </div>
      <article class="sheet">
        <header>
          <h1>${t('minutes.title')}</h1>
          <p>${view.organizationName}</p>
          ${view.lockedAt ? nothing : html`<p class="muted">${t('minutes.draftWatermark')}</p>`}
        </header>
        <table class="record">
          <tbody>${recordRows(view).map(([label, value]) => html`<tr><th scope="row">${label}</th><td>${value}</td></tr>`)}</tbody>
        </table>
        ${minutesSections(view)}
        <section>
          <h2>${t('minutes.field.attachments')}</h2>
          ${
            view.attachments.length
              ? html`<ol>${view.attachments.map((f) => html`<li>${withNote(f.fileName, fileSize(f.sizeBytes))}</li>`)}</ol>`
              : html`<p class="muted">—</p>`
          }
        </section>
        <section>
          <h2>${t('minutes.field.custodian')}</h2>
          <p>${view.custodian?.name ?? '—'}</p>
        </section>
        <div class="signatures">
          <div>${pair(t('minutes.signer.host'), signatureText(view, 'host'))}</div>
          <div>${pair(t('minutes.signer.recorder'), signatureText(view, 'recorder'))}</div>
        </div>
        ${
          view.lockedAt
            ? html`<p class="muted small">${t('minutes.lockedOn', { at: formatDate(view.lockedAt, true) })}</p>`
            : nothing
        }
        ${
          view.amendments.length
            ? html`<section class="appendix">
              <h2>${t('minutes.appendix')}</h2>
              ${amendmentList(view)}
            </section>`
            : nothing
        }
      </article>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-minutes-print': MjMinutesPrint;
  }
}
