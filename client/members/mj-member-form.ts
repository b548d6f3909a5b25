import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { committeeRoles, memberStatuses } from '../../shared/domain/enums.ts';
import { genders } from '../../shared/domain/roster.ts';
import type { MemberResponse } from '../../shared/schemas/members.ts';
import { ActionController } from '../core/action.ts';
import { api } from '../core/api.ts';
import { errorBanner, field, formValues, isInvalid } from '../core/forms.ts';
import { LocaleController, t } from '../core/i18n.ts';
import { baseStyles } from '../core/styles.ts';
import { localToday } from './labels.ts';

/**
 * The add/edit form for a roster entry. Without `member` it creates one in `organizationId`; with
 * one it saves changes. Dispatches `saved` (detail: the member's id) and `cancel`.
 */
@customElement('mj-member-form')
export class MjMemberForm extends LitElement {
  static override styles = [
    baseStyles,
    css`
      .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 15rem), 1fr)); gap: 0 1rem; }
      .wide { grid-column: 1 / -1; }
      .checks { display: flex; flex-direction: column; gap: 0.25rem; margin-bottom: 1rem; }
      .checks .check { min-height: 44px; }
    `,
  ];

  @property() organizationId = '';
  @property({ attribute: false }) member?: MemberResponse;
  @property({ attribute: false }) partyGroups: ReadonlyArray<{ id: string; name: string }> = [];
  private readonly save = new ActionController(this);
  protected readonly localeController = new LocaleController(this);

  override render() {
    const e = this.save.error;
    const m = this.member;
    const d = m?.details;
    const today = localToday();
    const input = (
      name: string,
      value: string | null | undefined,
      attrs: { type?: string; autocomplete?: string } = {},
    ) =>
      html`<input id=${name} name=${name} type=${attrs.type ?? 'text'} autocomplete=${attrs.autocomplete ?? 'off'}
        max=${attrs.type === 'date' ? today : nothing} .value=${value ?? ''} aria-invalid=${isInvalid(e, name)} />`;
    return html`
      ${errorBanner(e)}
      <form @submit=${this.submit} novalidate>
        <div class="grid">
          ${field('fullName', t('members.field.fullName'), input('fullName', m?.fullName, { autocomplete: 'name' }), { error: e })}
          ${field(
            'status',
            t('members.field.status'),
            html`<select id="status" name="status">
              ${memberStatuses.map((s) => html`<option value=${s} ?selected=${(m?.status ?? 'fullMember') === s}>${t(`memberStatus.${s}`)}</option>`)}
            </select>`,
            { error: e },
          )}
          ${field(
            'committeeRole',
            t('members.field.committeeRole'),
            html`<select id="committeeRole" name="committeeRole" aria-invalid=${isInvalid(e, 'committeeRole')}>
              <option value="">${t('members.noRole')}</option>
              ${committeeRoles.map((r) => html`<option value=${r} ?selected=${m?.committeeRole === r}>${t(`committeeRole.${r}`)}</option>`)}
            </select>`,
            { error: e },
          )}
          ${field(
            'partyGroupId',
            t('members.field.partyGroup'),
            html`<select id="partyGroupId" name="partyGroupId" aria-invalid=${isInvalid(e, 'partyGroupId')}>
              <option value="">${t('members.noGroup')}</option>
              ${this.partyGroups.map((g) => html`<option value=${g.id} ?selected=${m?.partyGroup?.id === g.id}>${g.name}</option>`)}
            </select>`,
            { error: e },
          )}
          ${field(
            'gender',
            t('members.field.gender'),
            html`<select id="gender" name="gender">
              <option value="">${t('members.unspecified')}</option>
              ${genders.map((g) => html`<option value=${g} ?selected=${d?.gender === g}>${t(`gender.${g}`)}</option>`)}
            </select>`,
            { error: e },
          )}
          ${field('ethnicity', t('members.field.ethnicity'), input('ethnicity', d?.ethnicity), { error: e })}
          ${field('birthDate', t('members.field.birthDate'), input('birthDate', d?.birthDate, { type: 'date' }), { error: e })}
          ${field('joinedPartyOn', t('members.field.joinedPartyOn'), input('joinedPartyOn', d?.joinedPartyOn, { type: 'date' }), { error: e })}
          ${field('education', t('members.field.education'), input('education', d?.education), { error: e })}
          ${field(
            'phone',
            t('members.field.phone'),
            input('phone', d?.phone, { type: 'tel', autocomplete: 'tel' }),
            {
              error: e,
              hint: t('members.phoneHint'),
            },
          )}
          <div class="checks wide">
            <label class="check"><input type="checkbox" name="leadingCadre" ?checked=${d?.leadingCadre} /> ${t('members.field.leadingCadre')}</label>
            <label class="check"><input type="checkbox" name="dualOrgLife" ?checked=${d?.dualOrgLife} /> ${t('members.field.dualOrgLife')}</label>
          </div>
          <div class="wide">
            ${field('notes', t('members.field.notes'), html`<textarea id="notes" name="notes" .value=${d?.notes ?? ''} aria-invalid=${isInvalid(e, 'notes')}></textarea>`, { error: e })}
          </div>
        </div>
        <div class="row">
          <button class="primary" type="submit" ?disabled=${this.save.busy}>${t('common.save')}</button>
          <button type="button" @click=${() => this.dispatchEvent(new CustomEvent('cancel'))}>${t('common.cancel')}</button>
        </div>
      </form>
    `;
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const v = formValues(event.target as HTMLFormElement);
    const orNull = (value: string | undefined) => (value ? value : null);
    const body = {
      fullName: v.fullName ?? '',
      status: v.status,
      committeeRole: orNull(v.committeeRole),
      partyGroupId: orNull(v.partyGroupId),
      gender: orNull(v.gender),
      ethnicity: orNull(v.ethnicity),
      birthDate: orNull(v.birthDate),
      joinedPartyOn: orNull(v.joinedPartyOn),
      education: orNull(v.education),
      phone: orNull(v.phone),
      leadingCadre: v.leadingCadre === 'on',
      dualOrgLife: v.dualOrgLife === 'on',
      notes: orNull(v.notes),
    };
    let id = this.member?.id;
    const saved = await this.save.run(async () => {
      if (id) await api.patch(`/api/members/${id}`, body);
      else
        id = (await api.post<{ id: string }>(`/api/organizations/${this.organizationId}/members`, body)).id;
    });
    if (saved) this.dispatchEvent(new CustomEvent('saved', { detail: id }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-member-form': MjMemberForm;
  }
}
