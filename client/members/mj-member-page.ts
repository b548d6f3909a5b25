import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { memberDepartureReasons } from '../../shared/domain/roster.ts';
import type { MemberDetails, MemberResponse, RosterResponse } from '../../shared/schemas/members.ts';
import { ActionController } from '../core/action.ts';
import { api } from '../core/api.ts';
import { errorBanner, field, formValues, isInvalid } from '../core/forms.ts';
import { formatDate, t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { baseStyles } from '../core/styles.ts';
import {
  accountBadge,
  attentionBadges,
  lastAttended,
  localToday,
  roleBadge,
  rosterStyles,
  statusBadge,
} from './labels.ts';
import './mj-exemptions.ts';
import './mj-member-form.ts';

/**
 * One roster entry: personal details (for those allowed), editing, the account and its invitation,
 * exemptions, and recording that the member left.
 */
@customElement('mj-member-page')
export class MjMemberPage extends MjPage {
  static override styles = [
    baseStyles,
    rosterStyles,
    css`
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.4rem 1rem; margin: 0; }
      dt { color: var(--mj-muted); }
      dd { margin: 0; overflow-wrap: anywhere; }
      @media (max-width: 480px) {
        dl { grid-template-columns: 1fr; gap: 0; }
        dd { margin-bottom: 0.5rem; }
      }
      section.card h2 { margin-top: 0; }
      details summary { cursor: pointer; padding: 0.6rem 0; font-weight: 600; font-size: 1.1rem; }
    `,
  ];

  @state() private member?: MemberResponse;
  @state() private partyGroups: RosterResponse['partyGroups'] = [];
  @state() private editing = false;
  @state() private error: unknown;
  private readonly departure = new ActionController(this);

  override updated(changed: Map<string, unknown>) {
    if (changed.has('params')) void this.load();
  }

  private async load() {
    try {
      this.member = await api.get<MemberResponse>(`/api/members/${this.params.id}`);
      if (this.member.access.manage)
        this.partyGroups = (
          await api.get<RosterResponse>(`/api/organizations/${this.member.organization.id}/members`)
        ).partyGroups;
      this.error = undefined;
    } catch (err) {
      this.error = err;
    }
  }

  override render() {
    const m = this.member;
    if (!m) return this.error ? errorBanner(this.error) : html`<p class="muted">${t('common.loading')}</p>`;
    const d = m.details;
    const manage = m.access.manage && !d?.left;
    return html`
      <nav class="small"><a href="/orgs/${m.organization.id}/members">${t('members.backToRoster')}</a> · ${m.organization.name}</nav>
      <h1>${m.fullName} <span class="badges">${roleBadge(m.committeeRole)} ${attentionBadges(d)}</span></h1>
      <p>${statusBadge(m.status)} ${m.partyGroup?.name ?? ''}</p>
      ${errorBanner(this.error)}
      ${
        d?.left
          ? html`<div class="alert warn" role="note">${t('members.leftInfo', {
              date: formatDate(d.left.on),
              reason: d.left.reason ? t(`memberDepartureReason.${d.left.reason}`) : '',
            })}${d.left.note ? html`<br />${d.left.note}` : nothing}</div>`
          : nothing
      }
      ${d ? this.renderDetails(m, d, manage) : html`<p class="muted small">${t('members.detailsRestricted')}</p>`}
      ${d ? this.renderAccount(m, d, manage) : nothing}
      ${
        d
          ? html`<section class="card"><h2>${t('members.exemptions')}</h2>
            <mj-exemptions memberId=${m.id} .exemptions=${m.exemptions ?? []} ?canManage=${manage} @changed=${() => this.load()}></mj-exemptions>
          </section>`
          : nothing
      }
      ${manage ? this.renderDeparture() : nothing}
    `;
  }

  private renderDetails(m: MemberResponse, d: MemberDetails, manage: boolean) {
    if (this.editing)
      return html`<section class="card"><h2>${t('members.editTitle')}</h2>
        <mj-member-form .member=${m} .partyGroups=${this.partyGroups}
          @saved=${async () => {
            this.editing = false;
            await this.load();
          }}
          @cancel=${() => (this.editing = false)}></mj-member-form>
      </section>`;
    const value = (v: string | null) => v ?? html`<span class="muted">—</span>`;
    const yesNo = (v: boolean) => t(v ? 'common.yes' : 'common.no');
    return html`<section class="card">
      <div class="row"><h2>${t('members.personal')}</h2><span class="spacer"></span>
        ${manage ? html`<button @click=${() => (this.editing = true)}>${t('common.edit')}</button>` : nothing}
      </div>
      <dl>
        <dt>${t('members.field.gender')}</dt><dd>${d.gender ? t(`gender.${d.gender}`) : value(null)}</dd>
        <dt>${t('members.field.ethnicity')}</dt><dd>${value(d.ethnicity)}</dd>
        <dt>${t('members.field.birthDate')}</dt><dd>${d.birthDate ? formatDate(d.birthDate) : value(null)}</dd>
        <dt>${t('members.field.education')}</dt><dd>${value(d.education)}</dd>
        <dt>${t('members.field.phone')}</dt><dd>${d.phone ? html`<a href="tel:${d.phone.replace(/[^\d+]/g, '')}">${d.phone}</a>` : value(null)}</dd>
        <dt>${t('members.field.joinedPartyOn')}</dt><dd>${d.joinedPartyOn ? formatDate(d.joinedPartyOn) : value(null)}</dd>
        <dt>${t('members.field.committeeRole')}</dt><dd>${m.committeeRole ? t(`committeeRole.${m.committeeRole}`) : t('members.noRole')}</dd>
        <dt>${t('members.field.leadingCadre')}</dt><dd>${yesNo(d.leadingCadre)}</dd>
        <dt>${t('members.field.dualOrgLife')}</dt><dd>${yesNo(d.dualOrgLife)}</dd>
        <dt>${t('members.field.lastAttended')}</dt><dd>${lastAttended(d)}</dd>
        <dt>${t('members.field.notes')}</dt><dd>${value(d.notes)}</dd>
      </dl>
    </section>`;
  }

  private renderAccount(m: MemberResponse, d: MemberDetails, manage: boolean) {
    const text = d.hasAccount
      ? t('members.invitation.hasAccount')
      : d.invitationExpiresAt
        ? t('members.invitation.pending', { date: formatDate(d.invitationExpiresAt) })
        : t('members.invitation.none');
    return html`<section class="card">
      <h2>${t('members.invitation')} ${accountBadge(d)}</h2>
      <p>${text}</p>
      ${
        manage && !d.hasAccount
          ? html`<a class="button" href="/orgs/${m.organization.id}/invitations/print?member=${m.id}">
              ${t(d.invitationExpiresAt ? 'members.invitation.regenerate' : 'members.invitation.generate')}</a>`
          : nothing
      }
    </section>`;
  }

  private renderDeparture() {
    const e = this.departure.error;
    return html`<section class="card">
      <details ?open=${!!e}>
        <summary>${t('members.departure')}</summary>
        <p class="muted small">${t('members.departureIntro')}</p>
        ${errorBanner(e)}
        <form @submit=${this.markLeft} novalidate>
          ${field(
            'leftReason',
            t('members.leftReason'),
            html`<select id="leftReason" name="reason">${memberDepartureReasons.map((r) => html`<option value=${r}>${t(`memberDepartureReason.${r}`)}</option>`)}</select>`,
            { error: e, name: 'reason' },
          )}
          ${field('leftOn', t('members.leftOn'), html`<input id="leftOn" name="leftOn" type="date" max=${localToday()} .value=${localToday()} aria-invalid=${isInvalid(e, 'leftOn')} />`, { error: e })}
          ${field('leftNote', t('common.note'), html`<textarea id="leftNote" name="note" aria-invalid=${isInvalid(e, 'note')}></textarea>`, { error: e, name: 'note' })}
          <button class="danger" type="submit" ?disabled=${this.departure.busy}>${t('members.markLeft')}</button>
        </form>
      </details>
    </section>`;
  }

  private async markLeft(event: SubmitEvent) {
    event.preventDefault();
    const v = formValues(event.target as HTMLFormElement);
    const member = this.member!;
    if (!confirm(t('members.markLeftConfirm', { name: member.fullName }))) return;
    const body = { reason: v.reason, leftOn: v.leftOn ?? '', note: v.note || null };
    if (await this.departure.run(() => api.post(`/api/members/${member.id}/departure`, body)))
      await this.load();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-member-page': MjMemberPage;
  }
}
