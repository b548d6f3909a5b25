import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { MyAppraisal } from '../../shared/schemas/appraisal.ts';
import { ActionController } from '../core/action.ts';
import { api } from '../core/api.ts';
import { errorBanner, field, isInvalid } from '../core/forms.ts';
import { t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { baseStyles } from '../core/styles.ts';
import { appraisalStyles, gradeBadge, when } from './format.ts';

/**
 * One appraisal as the member was told it, on their phone: the committee's determination, how and
 * when they were told, the committee's words, and their own responses (申辩) with a form to add
 * one. Nothing about the ballot: that stays with the branch committee.
 */
@customElement('mj-my-appraisal')
export class MjMyAppraisal extends MjPage {
  static override styles = [
    baseStyles,
    appraisalStyles,
    css`
      :host { max-width: 720px; margin: 0 auto; }
      nav.crumbs a { display: inline-flex; align-items: center; min-height: 44px; }
      .result { text-align: center; padding: 1.25rem 1rem; }
      .result .grade { font-size: 1.5rem; padding: 0.35rem 1.25rem; }
      .result p { margin: 0.5rem 0 0; }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.4rem 1rem; margin: 0; }
      dt { color: var(--mj-muted); }
      dd { margin: 0; overflow-wrap: anywhere; }
      ul.responses { list-style: none; padding: 0; }
      ul.responses li { border-top: 1px solid var(--mj-line); padding: 0.6rem 0; }
      textarea { min-height: 9rem; font-size: 1.05rem; }
      button.primary { width: 100%; font-size: 1.1rem; min-height: 52px; }
    `,
  ];
  @state() private view?: MyAppraisal;
  @state() private error: unknown;
  @state() private notice = '';
  @state() private text = '';
  private readonly send = new ActionController(this);

  override updated(changed: Map<string, unknown>) {
    if (changed.has('params')) void this.load();
  }

  private async load() {
    try {
      this.view = await api.get<MyAppraisal>(`/api/appraisal/feedback/${this.params.id}`);
      this.error = undefined;
    } catch (err) {
      this.error = err;
    }
  }

  override render() {
    if (this.error) return errorBanner(this.error);
    const a = this.view;
    if (!a) return html`<p class="muted">${t('common.loading')}</p>`;
    const e = this.send.error;
    return html`
      <nav class="crumbs"><a href="/me/appraisal">${t('appraisal.mine.back')}</a></nav>
      <h1>${a.meeting.title}</h1>
      <p class="muted">${a.organizationName} · ${when(a.meeting.startsAt)}</p>
      <section class="card result" aria-labelledby="result-h">
        <h2 id="result-h" class="small muted">${t('appraisal.mine.determination')}</h2>
        ${gradeBadge(a.grade)}
        <p class="small muted">${t('appraisal.mine.byCommittee')}</p>
      </section>
      <section class="card">
        <h2>${t('appraisal.feedback.title')}</h2>
        <dl>
          <dt>${t('appraisal.feedback.givenOn')}</dt><dd>${when(a.givenOn)}</dd>
          <dt>${t('appraisal.feedback.method')}</dt><dd>${t(`feedbackMethod.${a.method}`)}</dd>
          ${a.note ? html`<dt>${t('appraisal.mine.committeeNote')}</dt><dd class="note-line">${a.note}</dd>` : nothing}
        </dl>
      </section>
      <section class="card" aria-labelledby="respond-h">
        <h2 id="respond-h">${t('appraisal.mine.responseTitle')}</h2>
        <p class="small muted">${t('appraisal.mine.responseIntro')}</p>
        ${
          a.responses.length
            ? html`<ul class="responses">${a.responses.map(
                (r) =>
                  html`<li><div class="small muted">${when(r.submittedAt)}</div><div class="note-line">${r.text}</div></li>`,
              )}</ul>`
            : nothing
        }
        ${this.notice ? html`<div class="alert ok" role="status">${this.notice}</div>` : nothing}
        ${
          a.canRespond
            ? html`<form @submit=${this.submit} novalidate>
              ${errorBanner(e)}
              ${field(
                'response',
                t('appraisal.mine.responseLabel'),
                html`<textarea id="response" name="text" maxlength="5000" .value=${this.text}
                  aria-invalid=${isInvalid(e, 'text')}
                  @input=${(ev: InputEvent) => (this.text = (ev.target as HTMLTextAreaElement).value)}></textarea>`,
                { error: e, name: 'text' },
              )}
              <button type="submit" class="primary" ?disabled=${this.send.busy}>${t('appraisal.mine.send')}</button>
            </form>`
            : html`<p class="muted">${t('error.appraisal.tooManyResponses')}</p>`
        }
      </section>
    `;
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const sent = await this.send.run(() =>
      api.post(`/api/appraisal/feedback/${this.params.id}/responses`, { text: this.text }),
    );
    if (!sent) return;
    this.text = '';
    await this.load();
    this.notice = t('appraisal.mine.sent');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-my-appraisal': MjMyAppraisal;
  }
}
