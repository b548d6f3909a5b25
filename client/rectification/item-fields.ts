import { html } from 'lit';
import type { ItemBody, PersonRef } from '../../shared/schemas/rectification.ts';
import { field, isInvalid } from '../core/forms.ts';
import { t } from '../core/i18n.ts';

/**
 * The fields of a rectification item, shared by the "new problem" form (where the server reports
 * errors under `item.`) and the item form. Names carry the prefix so errors land on the right field.
 */
export interface ItemFieldsOptions {
  members: PersonRef[];
  error: unknown;
  /** '' for the item form, 'item.' inside the problem form. */
  prefix: '' | 'item.';
  values?: Partial<ItemBody>;
}

export function itemFields({ members, error, prefix, values = {} }: ItemFieldsOptions) {
  const id = (name: string) => `${prefix.replace('.', '-')}${name}`;
  const name = (field: string) => `${prefix}${field}`;
  const opts = (f: string) => ({ error, name: name(f) });
  return html`
    ${field(
      id('measures'),
      t('rectification.field.measures'),
      html`<textarea id=${id('measures')} name=${name('measures')} maxlength="2000" required
        aria-invalid=${isInvalid(error, name('measures'))} .value=${values.measures ?? ''}></textarea>`,
      opts('measures'),
    )}
    <div class="two">
      ${field(
        id('ownerMemberId'),
        t('rectification.field.ownerMemberId'),
        html`<select id=${id('ownerMemberId')} name=${name('ownerMemberId')} aria-invalid=${isInvalid(error, name('ownerMemberId'))}>
          <option value="">${t('rectification.selectPlaceholder')}</option>
          ${members.map((m) => html`<option value=${m.id} ?selected=${values.ownerMemberId === m.id}>${m.name}</option>`)}
        </select>`,
        opts('ownerMemberId'),
      )}
      ${field(
        id('ownerUnit'),
        t('rectification.field.ownerUnit'),
        html`<input id=${id('ownerUnit')} name=${name('ownerUnit')} maxlength="100" .value=${values.ownerUnit ?? ''}
          aria-invalid=${isInvalid(error, name('ownerUnit'))} />`,
        { ...opts('ownerUnit'), hint: t('common.optional') },
      )}
    </div>
    <div class="two">
      ${field(
        id('dueOn'),
        t('rectification.field.dueOn'),
        html`<input id=${id('dueOn')} name=${name('dueOn')} type="date" .value=${values.dueOn ?? ''}
          aria-invalid=${isInvalid(error, name('dueOn'))} />`,
        { ...opts('dueOn'), hint: t('rectification.dueOnHint') },
      )}
      <div class="field check-field">
        <label class="check"><input type="checkbox" name=${name('immediateFix')} ?checked=${!!values.immediateFix} />
          ${t('rectification.field.immediateFix')}</label>
      </div>
    </div>
    ${field(
      id('pledge'),
      t('rectification.field.pledge'),
      html`<textarea id=${id('pledge')} name=${name('pledge')} maxlength="1000" rows="2" .value=${values.pledge ?? ''}
        aria-invalid=${isInvalid(error, name('pledge'))}></textarea>`,
      { ...opts('pledge'), hint: t('common.optional') },
    )}
  `;
}

/**
 * The item body from a form's values. An empty required field is sent as missing, so the server
 * answers "required" rather than "too short".
 */
export function itemBodyFrom(
  values: Record<string, string>,
  prefix: '' | 'item.' = '',
): Record<string, unknown> {
  const v = (name: string) => values[`${prefix}${name}`] ?? '';
  return {
    measures: v('measures') || undefined,
    ownerMemberId: v('ownerMemberId') || null,
    ownerUnit: v('ownerUnit') || null,
    dueOn: v('dueOn') || null,
    pledge: v('pledge') || null,
    immediateFix: v('immediateFix') === 'on',
  };
}
