import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { exemptionReasons } from '../../shared/domain/enums.ts';
import type { ExemptionRow } from '../../shared/schemas/members.ts';
import { ActionController } from '../core/action.ts';
import { api } from '../core/api.ts';
import { errorBanner, field, formValues, isInvalid } from '../core/forms.ts';
import { formatDate, LocaleController, t } from '../core/i18n.ts';
import { baseStyles } from '../core/styles.ts';
import { localToday } from './labels.ts';

/** Where an exemption stands today. */
function standing(e: ExemptionRow, today: string): 'active' | 'upcoming' | 'ended' | 'revoked' {
  if (e.revokedAt) return 'revoked';
  if (e.active) return 'active';
  return e.startsOn > today ? 'upcoming' : 'ended';
}

/**
 * A member's exemptions (免于参加): the record with who approved it and for how long, a form to
 * add one and a way to revoke one (the row stays). Dispatches `changed` after either.
 */
@customElement('mj-exemptions')
export class MjExemptions extends LitElement {
  static override styles = [
    baseStyles,
    css`
      ul { list-style: none; padding: 0; margin: 0; }
      li { padding: 0.6rem 0; border-bottom: 1px solid var(--mj-line); }
      .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 13rem), 1fr)); gap: 0 1rem; }
      .wide { grid-column: 1 / -1; }
    `,
  ];

  @property() memberId = '';
  @property({ attribute: false }) exemptions: ExemptionRow[] = [];
  @property({ type: Boolean }) canManage = false;
  @state() private adding = false;
  private readonly action = new ActionController(this);
  protected readonly localeController = new LocaleController(this);

  override render() {
    const today = localToday();
    return html`
      <p class="muted small">${t('members.exemptionIntro')}</p>
      ${errorBanner(this.adding ? undefined : this.action.error)}
      ${
        this.exemptions.length === 0
          ? html`<p class="muted">${t('members.exemption.none')}</p>`
          : html`<ul>${this.exemptions.map((e) => this.renderRow(e, standing(e, today)))}</ul>`
      }
      ${
        this.canManage
          ? this.adding
            ? this.renderForm(today)
            : html`<p><button @click=${() => (this.adding = true)}>${t('members.exemption.add')}</button></p>`
          : nothing
      }
    `;
  }

  private renderRow(e: ExemptionRow, state: ReturnType<typeof standing>) {
    const badge = { active: 'ok', upcoming: 'warn', ended: '', revoked: '' }[state];
    return html`<li>
      <div class="row">
        <strong>${t(`exemptionReason.${e.reason}`)}</strong>
        <span class="badge ${badge}">${t(`members.exemption.${state}`)}</span>
        <span class="spacer"></span>
        ${
          this.canManage && !e.revokedAt
            ? html`<button class="link" @click=${() => this.revoke(e.id)}>${t('members.exemption.revoke')}</button>`
            : nothing
        }
      </div>
      <div class="small">
        ${e.endsOn ? t('members.exemption.period', { start: formatDate(e.startsOn), end: formatDate(e.endsOn) }) : t('members.exemption.since', { start: formatDate(e.startsOn) })}
        · ${t('members.exemption.approval', { by: e.approvedBy, date: formatDate(e.approvedOn) })}
        ${e.revokedAt ? html` · ${t('members.exemption.revoked')} ${formatDate(e.revokedAt)}` : nothing}
      </div>
      ${e.note ? html`<div class="small muted">${e.note}</div>` : nothing}
    </li>`;
  }

  private renderForm(today: string) {
    const e = this.action.error;
    return html`<form @submit=${this.add} novalidate>
      <h3>${t('members.exemption.add')}</h3>
      ${errorBanner(e)}
      <div class="grid">
        ${field(
          'reason',
          t('common.reason'),
          html`<select id="reason" name="reason">${exemptionReasons.map((r) => html`<option value=${r}>${t(`exemptionReason.${r}`)}</option>`)}</select>`,
          { error: e },
        )}
        ${field('approvedBy', t('members.exemption.approvedBy'), html`<input id="approvedBy" name="approvedBy" aria-invalid=${isInvalid(e, 'approvedBy')} />`, { error: e })}
        ${field('approvedOn', t('members.exemption.approvedOn'), html`<input id="approvedOn" name="approvedOn" type="date" max=${today} .value=${today} aria-invalid=${isInvalid(e, 'approvedOn')} />`, { error: e })}
        ${field('startsOn', t('members.exemption.startsOn'), html`<input id="startsOn" name="startsOn" type="date" .value=${today} aria-invalid=${isInvalid(e, 'startsOn')} />`, { error: e })}
        ${field(
          'endsOn',
          t('members.exemption.endsOn'),
          html`<input id="endsOn" name="endsOn" type="date" aria-invalid=${isInvalid(e, 'endsOn')} />`,
          {
            error: e,
            hint: t('members.exemption.endsOnHint'),
          },
        )}
        <div class="wide">${field('exemptionNote', t('common.note'), html`<textarea id="exemptionNote" name="note" aria-invalid=${isInvalid(e, 'note')}></textarea>`, { error: e, name: 'note' })}</div>
      </div>
      <div class="row">
        <button class="primary" type="submit" ?disabled=${this.action.busy}>${t('common.save')}</button>
        <button type="button" @click=${this.closeForm}>${t('common.cancel')}</button>
      </div>
    </form>`;
  }

  private closeForm() {
    this.adding = false;
    this.action.setError(undefined);
  }

  private async add(event: SubmitEvent) {
    event.preventDefault();
    const v = formValues(event.target as HTMLFormElement);
    const added = await this.action.run(() =>
      api.post(`/api/members/${this.memberId}/exemptions`, {
        reason: v.reason,
        approvedBy: v.approvedBy ?? '',
        approvedOn: v.approvedOn ?? '',
        startsOn: v.startsOn ?? '',
        endsOn: v.endsOn || null,
        note: v.note || null,
      }),
    );
    if (!added) return;
    this.adding = false;
    this.dispatchEvent(new CustomEvent('changed'));
  }

  private async revoke(id: string) {
    if (!confirm(t('members.exemption.revokeConfirm'))) return;
    if (await this.action.run(() => api.post(`/api/exemptions/${id}/revoke`)))
      this.dispatchEvent(new CustomEvent('changed'));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-exemptions': MjExemptions;
  }
}
