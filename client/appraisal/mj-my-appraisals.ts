import { css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import type { MyAppraisal } from '../../shared/schemas/appraisal.ts';
import { api } from '../core/api.ts';
import { errorBanner } from '../core/forms.ts';
import { t } from '../core/i18n.ts';
import { LoadController } from '../core/load.ts';
import { MjPage } from '../core/page.ts';
import { baseStyles } from '../core/styles.ts';
import { appraisalStyles, gradeBadge, when } from './format.ts';

/** "我的评议结果" on a member's phone: each appraisal they have been told about, newest first. */
@customElement('mj-my-appraisals')
export class MjMyAppraisals extends MjPage {
  static override styles = [
    baseStyles,
    appraisalStyles,
    css`
      :host { max-width: 720px; margin: 0 auto; }
      a.result {
        display: block; min-height: 44px; padding: 1rem; margin-bottom: 0.75rem;
        background: var(--mj-card); border: 1px solid var(--mj-line); border-radius: var(--mj-radius);
        color: var(--mj-ink); text-decoration: none;
      }
      a.result:hover { border-color: var(--mj-focus); }
      .title { font-weight: 700; font-size: 1.1rem; overflow-wrap: anywhere; }
      .line { display: flex; flex-wrap: wrap; gap: 0.4rem 0.75rem; align-items: center; margin-top: 0.4rem; }
      .grade { font-size: 1.05rem; }
    `,
  ];
  private readonly mine = new LoadController(this, () => api.get<MyAppraisal[]>('/api/me/appraisals'));

  override render() {
    if (this.mine.error) return errorBanner(this.mine.error);
    const list = this.mine.value;
    if (!list) return html`<p class="muted">${t('common.loading')}</p>`;
    return html`
      <h1>${t('appraisal.mine.title')}</h1>
      <p class="muted">${t('appraisal.mine.intro')}</p>
      ${
        list.length === 0
          ? html`<div class="card"><p>${t('appraisal.mine.empty')}</p></div>`
          : list.map(
              (a) => html`<a class="result" href="/me/appraisal/${a.feedbackId}">
                <div class="title">${a.meeting.title}</div>
                <div class="small muted">${a.organizationName} · ${when(a.meeting.startsAt)}</div>
                <div class="line">${gradeBadge(a.grade)}
                  <span class="small">${t('appraisal.mine.toldOn', { date: when(a.givenOn) })}</span>
                  ${a.responses.length ? html`<span class="badge">${t('appraisal.mine.responded', { count: a.responses.length })}</span>` : ''}
                </div>
              </a>`,
            )
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-my-appraisals': MjMyAppraisals;
  }
}
