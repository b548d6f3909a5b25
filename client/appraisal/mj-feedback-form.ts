import { html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { feedbackMethods } from '../../shared/domain/appraisal.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import type { SheetMember } from '../../shared/schemas/appraisal.ts';
import { ActionController } from '../core/action.ts';
import { api } from '../core/api.ts';
import { errorBanner, field, formValues, isInvalid } from '../core/forms.ts';
import { LocaleController, t } from '../core/i18n.ts';
import { baseStyles } from '../core/styles.ts';

/**
 * Records that a member has been told their determination (反馈本人): on which day, how, and a
 * note. Fires `saved` when the committee's record has it.
 */
@customElement('mj-feedback-form')
export class MjFeedbackForm extends LitElement {
  static override styles = [baseStyles];
  @property() meetingId = '';
  @property({ attribute: false }) member?: SheetMember;
  protected readonly localeController = new LocaleController(this);
  private readonly save = new ActionController(this);

  override render() {
    const member = this.member;
    if (!member) return html``;
    const e = this.save.error;
    const id = (name: string) => `${name}-${member.memberId}`;
    const previous = member.feedback;
    return html`<form @submit=${this.submit} novalidate>
      ${errorBanner(e)}
      <div class="row">
        ${field(
          id('givenOn'),
          t('appraisal.feedback.givenOn'),
          html`<input id=${id('givenOn')} name="givenOn" type="date" required
            .value=${previous?.current ? previous.givenOn : shanghaiDate(new Date())}
            aria-invalid=${isInvalid(e, 'givenOn')} />`,
          { error: e, name: 'givenOn' },
        )}
        ${field(
          id('method'),
          t('appraisal.feedback.method'),
          html`<select id=${id('method')} name="method">
            ${feedbackMethods.map((m) => html`<option value=${m} ?selected=${previous?.method === m}>${t(`feedbackMethod.${m}`)}</option>`)}
          </select>`,
          { error: e, name: 'method' },
        )}
      </div>
      ${field(
        id('note'),
        t('appraisal.feedback.note'),
        html`<textarea id=${id('note')} name="note" maxlength="2000" .value=${previous?.current ? (previous.note ?? '') : ''}></textarea>`,
        { error: e, name: 'note', hint: t('appraisal.feedback.noteHint') },
      )}
      <button type="submit" ?disabled=${this.save.busy}>${t('appraisal.feedback.record')}</button>
    </form>`;
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const values = formValues(event.target as HTMLFormElement);
    const saved = await this.save.run(() =>
      api.put(`/api/meetings/${this.meetingId}/appraisal/members/${this.member!.memberId}/feedback`, {
        givenOn: values.givenOn,
        method: values.method,
        note: values.note || null,
      }),
    );
    if (saved) this.dispatchEvent(new CustomEvent('saved', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-feedback-form': MjFeedbackForm;
  }
}
