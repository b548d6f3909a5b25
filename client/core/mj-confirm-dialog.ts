import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { LocaleController, t } from './i18n.ts';
import { baseStyles } from './styles.ts';

export interface ConfirmOptions {
  title: string;
  message?: string;
  confirmLabel: string;
  /** Ask for a reason (e.g. cancelling a meeting, amending locked minutes); it is required. */
  reasonLabel?: string;
  danger?: boolean;
}

/**
 * The one modal confirmation of the app, for irreversible steps (closing seals a round, locking
 * minutes, cancelling a meeting), optionally asking for a reason. A native <dialog>: focus moves
 * into it and back, Escape cancels, and the safe choice (cancel) has the focus first.
 * `ask()` resolves with the reason ('' when none was asked) or null if cancelled; `confirm()` with
 * a plain yes/no.
 */
@customElement('mj-confirm-dialog')
export class MjConfirmDialog extends LitElement {
  static override styles = [
    baseStyles,
    css`
      dialog { border: none; border-radius: var(--mj-radius); padding: 1.25rem; width: min(32rem, calc(100vw - 2rem)); box-shadow: 0 10px 40px rgba(0, 0, 0, 0.25); }
      dialog::backdrop { background: rgba(0, 0, 0, 0.4); }
      h2 { margin-top: 0; }
      button.danger-fill { background: var(--mj-danger); border-color: var(--mj-danger); color: #fff; font-weight: 600; }
      .actions { display: flex; gap: 0.75rem; justify-content: flex-end; flex-wrap: wrap; margin-top: 1rem; }
    `,
  ];
  protected readonly localeController = new LocaleController(this);
  @property({ attribute: false }) options?: ConfirmOptions;
  @state() private missingReason = false;
  @query('dialog') private dialog!: HTMLDialogElement;
  @query('textarea') private reason?: HTMLTextAreaElement;
  private resolve?: (value: string | null) => void;

  async ask(options: ConfirmOptions): Promise<string | null> {
    this.options = options;
    this.missingReason = false;
    await this.updateComplete;
    if (this.reason) this.reason.value = '';
    this.dialog.showModal();
    return new Promise((resolve) => (this.resolve = resolve));
  }

  async confirm(options: Omit<ConfirmOptions, 'reasonLabel'>): Promise<boolean> {
    return (await this.ask(options)) !== null;
  }

  override render() {
    const o = this.options;
    if (!o) return html`<dialog></dialog>`;
    return html`<dialog aria-labelledby="confirm-title" @close=${() => this.finish(null)}>
      <h2 id="confirm-title">${o.title}</h2>
      ${o.message ? html`<p>${o.message}</p>` : nothing}
      ${
        o.reasonLabel
          ? html`<div class="field">
            <label for="confirm-reason">${o.reasonLabel}</label>
            <textarea id="confirm-reason" maxlength="500" aria-invalid=${this.missingReason ? 'true' : 'false'}></textarea>
            ${this.missingReason ? html`<div class="error" role="alert">${t('validation.required')}</div>` : nothing}
          </div>`
          : nothing
      }
      <div class="actions">
        <button type="button" autofocus @click=${() => this.dialog.close()}>${t('common.cancel')}</button>
        <button type="button" class=${o.danger ? 'danger-fill' : 'primary'} @click=${this.accept}>${o.confirmLabel}</button>
      </div>
    </dialog>`;
  }

  private accept() {
    const reason = this.reason?.value.trim() ?? '';
    if (this.options?.reasonLabel && !reason) {
      this.missingReason = true;
      this.reason?.focus();
      return;
    }
    this.finish(reason);
    this.dialog.close();
  }

  private finish(value: string | null) {
    const resolve = this.resolve;
    this.resolve = undefined;
    resolve?.(value);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-confirm-dialog': MjConfirmDialog;
  }
}
