import { css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { type IssueSource, issueSources, problemCategories } from '../../shared/domain/enums.ts';
import { api } from '../core/api.ts';
import { errorBanner, field, formValues, isInvalid } from '../core/forms.ts';
import { t } from '../core/i18n.ts';
import { baseStyles } from '../core/styles.ts';
import { ConsolePanel, consoleStyles } from './console-panel.ts';

/**
 * Turns a criticism item or a self-examination into a problem (查摆问题) with its source, and
 * optionally a rectification item (整改事项) with measures, owner and due date — one connected
 * record from what was said in the room to what must change.
 */
@customElement('mj-convert-form')
export class MjConvertForm extends ConsolePanel {
  static override styles = [
    baseStyles,
    consoleStyles,
    css`
      form { background: var(--mj-bg); border-radius: 8px; padding: 0.75rem 1rem; margin: 0.5rem 0; }
      .two { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1rem; }
    `,
  ];
  /** The host route that converts it (…/items/:id/problem or …/subjects/:id/problem). */
  @property() path = '';
  @property() text = '';
  @property() defaultSource: IssueSource = 'peers';
  /** The subject, proposed as the rectification item's owner. */
  @property() ownerMemberId = '';
  @state() private withRectification = false;

  override render() {
    const e = this.error;
    const attendees = this.live.attendance?.attendees ?? [];
    return html`<form @submit=${this.submit} novalidate>
      ${field('problem-description', t('liveUi.convert.description'), html`<textarea id="problem-description" name="description" maxlength="2000" .value=${this.text} aria-invalid=${isInvalid(e, 'description')}></textarea>`, { error: e, name: 'description' })}
      <div class="two">
        ${field('problem-source', t('liveUi.convert.source'), html`<select id="problem-source" name="source">${issueSources.map((s) => html`<option value=${s} ?selected=${s === this.defaultSource}>${t(`issueSource.${s}`)}</option>`)}</select>`)}
        ${field('problem-category', t('liveUi.convert.category'), html`<select id="problem-category" name="category"><option value="">—</option>${problemCategories.map((c) => html`<option value=${c}>${t(`problemCategory.${c}`)}</option>`)}</select>`)}
      </div>
      <label class="check"><input type="checkbox" .checked=${this.withRectification} @change=${(ev: Event) => (this.withRectification = (ev.target as HTMLInputElement).checked)} /> ${t('liveUi.convert.withRectification')}</label>
      ${
        this.withRectification
          ? html`${field('rect-measures', t('liveUi.convert.measures'), html`<textarea id="rect-measures" name="measures" maxlength="2000" aria-invalid=${isInvalid(e, 'rectification.measures')}></textarea>`, { error: e, name: 'rectification.measures' })}
            <div class="two">
              ${field('rect-owner', t('liveUi.convert.owner'), html`<select id="rect-owner" name="ownerMemberId">${attendees.map((a) => html`<option value=${a.memberId} ?selected=${a.memberId === this.ownerMemberId}>${a.name}</option>`)}</select>`)}
              ${field('rect-due', t('liveUi.convert.dueOn'), html`<input id="rect-due" name="dueOn" type="date" aria-invalid=${isInvalid(e, 'rectification.dueOn')} />`, { error: e, name: 'rectification.dueOn' })}
            </div>`
          : nothing
      }
      ${errorBanner(e)}
      <div class="actions">
        <button class="primary" type="submit" ?disabled=${this.busy}>${t('liveUi.convert.save')}</button>
        <button type="button" @click=${() => this.dispatchEvent(new CustomEvent('mj-done', { bubbles: true, composed: true }))}>${t('common.cancel')}</button>
      </div>
    </form>`;
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const v = formValues(event.target as HTMLFormElement);
    const body = {
      description: v.description,
      source: v.source,
      ...(v.category ? { category: v.category } : {}),
      ...(this.withRectification
        ? {
            rectification: {
              measures: v.measures,
              ...(v.ownerMemberId ? { ownerMemberId: v.ownerMemberId } : {}),
              ...(v.dueOn ? { dueOn: v.dueOn } : {}),
            },
          }
        : {}),
    };
    const done = await this.run(() => api.post(this.url(this.path), body));
    if (done) this.dispatchEvent(new CustomEvent('mj-done', { detail: done, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-convert-form': MjConvertForm;
  }
}
