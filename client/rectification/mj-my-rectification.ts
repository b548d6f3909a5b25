import { css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import type { MyItemsResponse } from '../../shared/schemas/rectification.ts';
import { api } from '../core/api.ts';
import { errorBanner } from '../core/forms.ts';
import { t } from '../core/i18n.ts';
import { LoadController } from '../core/load.ts';
import { MjPage } from '../core/page.ts';
import { baseStyles } from '../core/styles.ts';
import { itemCard, rectificationStyles } from './view.ts';

/**
 * "My rectification items" on a member's phone: what they answer for, overdue work first, each a
 * large card that opens the item to report progress.
 */
@customElement('mj-my-rectification')
export class MjMyRectification extends MjPage {
  static override styles = [
    baseStyles,
    rectificationStyles,
    css`
      :host { max-width: 720px; margin: 0 auto; }
      .intro { color: var(--mj-muted); margin-bottom: 1rem; }
    `,
  ];
  private readonly mine = new LoadController(this, () => api.get<MyItemsResponse>('/api/me/rectification'));

  override render() {
    if (this.mine.error) return errorBanner(this.mine.error);
    const data = this.mine.value;
    if (!data) return html`<p class="muted">${t('common.loading')}</p>`;
    const branches = new Set(data.items.map((i) => i.organization.id));
    return html`
      <h1>${t('rectification.myTitle')}</h1>
      <p class="intro">${t('rectification.myIntro')}</p>
      ${
        data.items.length === 0
          ? html`<div class="card"><p>${t('rectification.myEmpty')}</p></div>`
          : data.items.map((item) => itemCard(item, data.today, { showBranch: branches.size > 1 }))
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-my-rectification': MjMyRectification;
  }
}
