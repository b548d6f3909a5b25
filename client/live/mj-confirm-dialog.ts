import { css, html, LitElement, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { LocaleController, t } from '../core/i18n.ts';
import { baseStyles } from '../core/styles.ts';

export interface ConfirmOptions {
  title: string;
  body: string;
  confirmLabel: string;
  /** Irreversible steps get a red confirm button. */
  danger?: boolean;
}

/**
 * A modal confirmation for the host's irreversible steps (closing seals a round, revealing shows
 * results to the room). A native <dialog>: focus moves into it and back, Esc cancels, and the
 * safe choice (cancel) has the focus first.
 */
@customElement('mj-confirm-dialog')
export class MjConfirmDialog extends LitElement {
  static override styles = [
    baseStyles,
    css`
      dialog { border: none; border-radius: var(--mj-radius); padding: 1.25rem 1.5rem; max-width: min(32rem, 92vw); box-shadow: 0 12px 40px rgba(0, 0, 0, 0.25); }
      dialog::backdrop { background: rgba(31, 35, 40, 0.45); }
      h2 { margin-top: 0; }
      .row { justify-content: flex-end; margin-top: 1.25rem; }
      button.danger-fill { background: var(--mj-danger); border-color: var(--mj-danger); color: #fff; font-weight: 600; }
    `,
  ];
  @state() private options: ConfirmOptions | null = null;
  @query('dialog') private dialog!: HTMLDialogElement;
  private resolve?: (ok: boolean) => void;

  protected readonly localeController = new LocaleController(this);

  /** Opens the dialog; resolves true when confirmed, false when cancelled. */
  async ask(options: ConfirmOptions): Promise<boolean> {
    this.resolve?.(false);
    this.options = options;
    await this.updateComplete;
    this.dialog.showModal();
    return new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  private finish(ok: boolean) {
    this.dialog.close();
    this.resolve?.(ok);
    this.resolve = undefined;
  }

  override render() {
    const o = this.options;
    return html`<dialog aria-labelledby="confirm-title" @cancel=${() => this.finish(false)}>
      ${
        o
          ? html`<h2 id="confirm-title">${o.title}</h2>
            <p>${o.body}</p>
            <div class="row">
              <button type="button" autofocus @click=${() => this.finish(false)}>${t('common.cancel')}</button>
              <button type="button" class=${o.danger ? 'danger-fill' : 'primary'} @click=${() => this.finish(true)}>${o.confirmLabel}</button>
            </div>`
          : nothing
      }
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-confirm-dialog': MjConfirmDialog;
  }
}
