import { html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { RosterResponse } from '../../shared/schemas/members.ts';
import { api } from '../core/api.ts';
import { errorBanner } from '../core/forms.ts';
import { t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { navigate } from '../core/router.ts';
import './mj-member-form.ts';

/** Adding one member by hand; the branch's party groups come from its roster. */
@customElement('mj-member-new')
export class MjMemberNew extends MjPage {
  @state() private partyGroups: RosterResponse['partyGroups'] = [];
  @state() private branchName = '';
  @state() private error: unknown;

  override updated(changed: Map<string, unknown>) {
    if (changed.has('params'))
      api.get<RosterResponse>(`/api/organizations/${this.params.orgId}/members`).then(
        (roster) => {
          this.partyGroups = roster.partyGroups;
          this.branchName = roster.organization.name;
        },
        (err) => (this.error = err),
      );
  }

  override render() {
    const roster = `/orgs/${this.params.orgId}/members`;
    return html`
      <nav class="small"><a href=${roster}>${t('members.backToRoster')}</a></nav>
      <h1>${t('members.newTitle')}</h1>
      <p class="muted">${this.branchName}</p>
      ${errorBanner(this.error)}
      <div class="card">
        <mj-member-form
          organizationId=${this.params.orgId ?? ''}
          .partyGroups=${this.partyGroups}
          @saved=${(e: CustomEvent<string>) => navigate(`/members/${e.detail}`)}
          @cancel=${() => navigate(roster)}
        ></mj-member-form>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-member-new': MjMemberNew;
  }
}
