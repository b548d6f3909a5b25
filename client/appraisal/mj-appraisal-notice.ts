import { css, html, LitElement, nothing } from 'lit';
import { customElement } from 'lit/decorators.js';
import type { MyAppraisal } from '../../shared/schemas/appraisal.ts';
import { api } from '../core/api.ts';
import { LocaleController, t } from '../core/i18n.ts';
import { LoadController } from '../core/load.ts';
import { baseStyles } from '../core/styles.ts';
import { appraisalStyles, gradeBadge } from './format.ts';

/**
 * On the home page, for a member who has been told an appraisal result: the latest one and the way
 * to read it and respond. Absent for everyone else.
 */
@customElement('mj-appraisal-notice')
export class MjAppraisalNotice extends LitElement {
  static override styles = [
    baseStyles,
    appraisalStyles,
    css`
      :host { display: block; margin-bottom: 1.5rem; }
      a.card { display: flex; flex-wrap: wrap; gap: 0.4rem 0.75rem; align-items: center; color: var(--mj-ink); text-decoration: none; min-height: 44px; border-left: 6px solid var(--mj-red); }
      a.card:hover { border-color: var(--mj-focus); }
      strong { overflow-wrap: anywhere; }
    `,
  ];
  protected readonly localeController = new LocaleController(this);
  private readonly mine = new LoadController(this, () => api.get<MyAppraisal[]>('/api/me/appraisals'));

  override render() {
    const latest = this.mine.value?.[0];
    if (!latest) return nothing;
    return html`<a class="card" href="/me/appraisal/${latest.feedbackId}">
      <span>${t('appraisal.notice', { title: latest.meeting.title })}</span>
      ${gradeBadge(latest.grade)}
      <strong>${t('appraisal.notice.open')} ›</strong>
    </a>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-appraisal-notice': MjAppraisalNotice;
  }
}
