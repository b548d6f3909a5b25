import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { errorBanner, field, isInvalid } from '../core/forms.ts';
import { LocaleController, t } from '../core/i18n.ts';
import { baseStyles } from '../core/styles.ts';

/**
 * An inline confirmation step for a consequential action: says what will happen, optionally asks
 * for a note (a completion report, a reason), and only then fires `confirm` with the note. Inline
 * rather than window.confirm(), so it can hold a text field and reads well on a phone.
 */
@customElement('mj-confirm')
export class MjConfirm extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      .panel { border: 2px solid var(--mj-focus); border-radius: var(--mj-radius); padding: 1rem; background: #f6f8fa; margin: 0.75rem 0; }
      .panel.danger { border-color: var(--mj-danger); }
      .buttons { display: flex; gap: 0.75rem; flex-wrap: wrap; }
      .buttons button { flex: 1 1 10rem; }
    `,
  ];
  protected readonly localeController = new LocaleController(this);

  @property() message = '';
  @property() confirmLabel = '';
  /** Label of the note field; no field when empty. */
  @property() noteLabel = '';
  @property({ type: Boolean }) noteRequired = false;
  @property({ type: Boolean }) danger = false;
  @property({ type: Boolean }) busy = false;
  /** A failed attempt, shown in the panel so the note typed so far is kept. */
  @property({ attribute: false }) error: unknown;
  @query('textarea') private noteInput?: HTMLTextAreaElement;

  override firstUpdated() {
    (this.noteInput ?? this.renderRoot.querySelector<HTMLElement>('button.confirm'))?.focus();
  }

  override render() {
    return html`<div class="panel ${this.danger ? 'danger' : ''}" role="group" aria-label=${this.confirmLabel}>
      <p>${this.message}</p>
      ${
        this.noteLabel
          ? field(
              'note',
              this.noteLabel,
              html`<textarea id="note" name="note" maxlength="2000" ?required=${this.noteRequired}
                aria-invalid=${isInvalid(this.error, 'note')}></textarea>`,
              { error: this.error },
            )
          : nothing
      }
      ${errorBanner(this.error)}
      <div class="buttons">
        <button class="confirm ${this.danger ? 'danger' : 'primary'}" ?disabled=${this.busy} @click=${this.confirm}>${this.confirmLabel}</button>
        <button @click=${() => this.dispatchEvent(new CustomEvent('cancel'))}>${t('common.cancel')}</button>
      </div>
    </div>`;
  }

  private confirm() {
    const note = this.noteInput?.value.trim() ?? '';
    this.dispatchEvent(new CustomEvent<{ note: string }>('confirm', { detail: { note } }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-confirm': MjConfirm;
  }
}
