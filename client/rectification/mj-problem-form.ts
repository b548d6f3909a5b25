import { html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import {
  issueSources,
  problemCategories,
  type SubjectScope,
  subjectScopes,
} from '../../shared/domain/enums.ts';
import type { ProblemRow, RectificationOptions } from '../../shared/schemas/rectification.ts';
import { api } from '../core/api.ts';
import { errorBanner, field, formValues, isInvalid } from '../core/forms.ts';
import { formatDate, LocaleController, t } from '../core/i18n.ts';
import { baseStyles } from '../core/styles.ts';
import { itemBodyFrom, itemFields } from './item-fields.ts';
import { rectificationStyles } from './view.ts';

/**
 * Records a problem (查摆问题) — by default together with its first rectification item, which is how
 * a secretary fills in the 整改清单 after a meeting — or edits one (`problem`). Fires `saved`/`cancel`.
 */
@customElement('mj-problem-form')
export class MjProblemForm extends LitElement {
  static override styles = [baseStyles, rectificationStyles];
  protected readonly localeController = new LocaleController(this);

  @property() organizationId = '';
  @property({ attribute: false }) options?: RectificationOptions;
  @property({ attribute: false }) problem?: ProblemRow;
  /** Pre-selects the meeting the list is filtered on. */
  @property() meetingId = '';
  @state() private scope: SubjectScope = 'member';
  @state() private withItem = true;
  @state() private error: unknown;
  @state() private busy = false;

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('problem') && this.problem) this.scope = this.problem.scope;
  }

  override render() {
    const e = this.error;
    const p = this.problem;
    const members = this.options?.members ?? [];
    const meetings = (this.options?.meetings ?? []).filter(
      (m) => m.status !== 'cancelled' || m.id === p?.meeting?.id,
    );
    const meetingId = p ? (p.meeting?.id ?? '') : this.meetingId;
    return html`<form @submit=${this.submit} novalidate>
      <h3>${p ? t('rectification.editProblem') : t('rectification.newProblem')}</h3>
      ${field(
        'description',
        t('rectification.field.description'),
        html`<textarea id="description" name="description" maxlength="2000" required
          aria-invalid=${isInvalid(e, 'description')} .value=${p?.description ?? ''}></textarea>`,
        { error: e },
      )}
      <div class="two">
        ${field(
          'scope',
          t('rectification.field.scope'),
          html`<select id="scope" name="scope" @change=${(ev: Event) => (this.scope = (ev.target as HTMLSelectElement).value as SubjectScope)}>
            ${subjectScopes.map((s) => html`<option value=${s} ?selected=${this.scope === s}>${t(`subjectScope.${s}`)}</option>`)}
          </select>`,
          { error: e },
        )}
        ${
          this.scope === 'member'
            ? field(
                'subjectMemberId',
                t('rectification.field.subject'),
                html`<select id="subjectMemberId" name="subjectMemberId" aria-invalid=${isInvalid(e, 'subjectMemberId')}>
                  <option value="">${t('rectification.selectPlaceholder')}</option>
                  ${members.map((m) => html`<option value=${m.id} ?selected=${p?.subject?.id === m.id}>${m.name}</option>`)}
                </select>`,
                { error: e },
              )
            : nothing
        }
      </div>
      <div class="two">
        ${field(
          'source',
          t('rectification.field.source'),
          html`<select id="source" name="source" aria-invalid=${isInvalid(e, 'source')}>
            ${issueSources.map((s) => html`<option value=${s} ?selected=${p?.source === s}>${t(`issueSource.${s}`)}</option>`)}
          </select>`,
          { error: e },
        )}
        ${field(
          'category',
          t('rectification.field.category'),
          html`<select id="category" name="category">
            <option value="">${t('rectification.selectPlaceholder')}</option>
            ${problemCategories.map((c) => html`<option value=${c} ?selected=${p?.category === c}>${t(`problemCategory.${c}`)}</option>`)}
          </select>`,
          { error: e, hint: t('common.optional') },
        )}
      </div>
      ${field(
        'meetingId',
        t('rectification.field.meeting'),
        html`<select id="meetingId" name="meetingId" aria-invalid=${isInvalid(e, 'meetingId')}>
          <option value="">${t('rectification.noMeeting')}</option>
          ${meetings.map((m) => html`<option value=${m.id} ?selected=${meetingId === m.id}>${formatDate(m.startsAt)} ${m.title}</option>`)}
        </select>`,
        { error: e },
      )}
      ${
        p
          ? nothing
          : html`<label class="check field"><input type="checkbox" .checked=${this.withItem}
              @change=${(ev: Event) => (this.withItem = (ev.target as HTMLInputElement).checked)} />
              ${t('rectification.withFirstItem')}</label>
            ${this.withItem ? html`<fieldset class="card">${itemFields({ members, error: e, prefix: 'item.' })}</fieldset>` : nothing}`
      }
      ${errorBanner(e)}
      <div class="form-buttons">
        <button class="primary" type="submit" ?disabled=${this.busy}>${t('common.save')}</button>
        <button type="button" @click=${() => this.dispatchEvent(new CustomEvent('cancel'))}>${t('common.cancel')}</button>
      </div>
    </form>`;
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const v = formValues(event.target as HTMLFormElement);
    const body = {
      scope: v.scope,
      subjectMemberId: this.scope === 'member' ? v.subjectMemberId || null : null,
      description: v.description || undefined,
      source: v.source,
      category: v.category || null,
      meetingId: v.meetingId || null,
    };
    this.busy = true;
    this.error = undefined;
    try {
      if (this.problem) await api.put(`/api/problems/${this.problem.id}`, body);
      else
        await api.post(`/api/organizations/${this.organizationId}/problems`, {
          ...body,
          ...(this.withItem ? { item: itemBodyFrom(v, 'item.') } : {}),
        });
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
    'mj-problem-form': MjProblemForm;
  }
}
