import { html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ItemDetail, PersonRef } from '../../shared/schemas/rectification.ts';
import { api } from '../core/api.ts';
import { errorBanner, formValues } from '../core/forms.ts';
import { LocaleController, t } from '../core/i18n.ts';
import { baseStyles } from '../core/styles.ts';
import { itemBodyFrom, itemFields } from './item-fields.ts';
import { rectificationStyles } from './view.ts';

/** Adds an item to a problem (`problemId`) or edits one (`item`); fires `saved` or `cancel`. */
@customElement('mj-item-form')
export class MjItemForm extends LitElement {
  static override styles = [baseStyles, rectificationStyles];
  protected readonly localeController = new LocaleController(this);

  @property({ attribute: false }) members: PersonRef[] = [];
  @property() problemId = '';
  @property({ attribute: false }) item?: ItemDetail;
  @state() private error: unknown;
  @state() private busy = false;

  override render() {
    const item = this.item;
    return html`<form @submit=${this.submit} novalidate>
      <h3>${item ? t('rectification.editItem') : t('rectification.addItem')}</h3>
      ${itemFields({
        members: this.members,
        error: this.error,
        prefix: '',
        values: item
          ? {
              measures: item.measures,
              ownerMemberId: item.ownerMemberId,
              ownerUnit: item.ownerUnit,
              dueOn: item.dueOn,
              pledge: item.pledge,
              immediateFix: item.immediateFix,
            }
          : {},
      })}
      ${errorBanner(this.error)}
      <div class="form-buttons">
        <button class="primary" type="submit" ?disabled=${this.busy}>${t('common.save')}</button>
        <button type="button" @click=${() => this.dispatchEvent(new CustomEvent('cancel'))}>${t('common.cancel')}</button>
      </div>
    </form>`;
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const body = itemBodyFrom(formValues(event.target as HTMLFormElement));
    this.busy = true;
    this.error = undefined;
    try {
      if (this.item) await api.put(`/api/rectification/items/${this.item.id}`, body);
      else await api.post(`/api/problems/${this.problemId}/items`, body);
      this.dispatchEvent(new CustomEvent('saved'));
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-item-form': MjItemForm;
  }
}
