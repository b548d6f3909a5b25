import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import {
  allowedParentKinds,
  grantableRoles,
  organizationKinds,
  type Role,
} from '../../shared/domain/enums.ts';
import type { OrganizationSummary } from '../../shared/schemas/organizations.ts';
import { api } from '../core/api.ts';
import { errorBanner, field, formValues, isInvalid } from '../core/forms.ts';
import { formatDate, t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { baseStyles } from '../core/styles.ts';

interface OrgDetail extends OrganizationSummary {
  ancestry: Array<{ id: string; name: string; kind: string }>;
  memberCount: number;
}

interface GrantRow {
  id: string;
  role: Role;
  login: string;
  displayName: string;
  createdAt: string;
}

/** An organization: where it sits, what can be done in it, and (for administrators) its set-up. */
@customElement('mj-org-page')
export class MjOrgPage extends MjPage {
  static override styles = [
    baseStyles,
    css`
      nav.crumbs { font-size: 0.9rem; margin-bottom: 0.5rem; }
      .sections { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 0.75rem; margin: 1rem 0; }
      .sections a { display: flex; align-items: center; justify-content: center; min-height: 64px; font-weight: 600; text-decoration: none; }
    `,
  ];
  @state() private org?: OrgDetail;
  @state() private subOrganizations: OrganizationSummary[] = [];
  @state() private grants: GrantRow[] = [];
  @state() private error: unknown;
  @state() private formError: unknown;
  @state() private notice = '';

  override updated(changed: Map<string, unknown>) {
    if (changed.has('params')) void this.load();
  }

  private async load() {
    try {
      const [org, all] = await Promise.all([
        api.get<OrgDetail>(`/api/organizations/${this.params.orgId}`),
        api.get<OrganizationSummary[]>('/api/organizations'),
      ]);
      this.org = org;
      this.subOrganizations = all.filter((o) => o.parentId === org.id);
      this.grants = org.myRoles.includes('admin')
        ? await api.get<GrantRow[]>(`/api/organizations/${org.id}/grants`)
        : [];
      this.error = undefined;
    } catch (err) {
      this.error = err;
    }
  }

  override render() {
    if (this.error) return errorBanner(this.error);
    const org = this.org;
    if (!org) return html`<p class="muted">${t('common.loading')}</p>`;
    const isAdmin = org.myRoles.includes('admin');
    const isBranch = org.kind === 'partyBranch' || org.kind === 'partyGroup';
    return html`
      <nav class="crumbs" aria-label="breadcrumb">
        <a href="/">${t('org.tree')}</a>
        ${org.ancestry.slice(0, -1).map((a) => html` › <a href="/orgs/${a.id}">${a.name}</a>`)}
      </nav>
      <h1>${org.name} <span class="badge">${t(`organizationKind.${org.kind}`)}</span></h1>
      ${isBranch ? html`<p class="muted">${t('org.memberCount')}: ${org.memberCount}</p>` : nothing}
      <div class="sections">${this.sectionLinks(org, isBranch)}</div>
      ${
        this.subOrganizations.length
          ? html`<div class="card"><h2>${t('org.tree')}</h2>
            <ul>${this.subOrganizations.map((c) => html`<li><a href="/orgs/${c.id}">${c.name}</a> <span class="badge">${t(`organizationKind.${c.kind}`)}</span></li>`)}</ul>
          </div>`
          : nothing
      }
      ${this.notice ? html`<div class="alert ok" role="status">${this.notice}</div>` : nothing}
      ${errorBanner(this.formError)}
      ${isAdmin ? this.renderAdmin(org) : nothing}
    `;
  }

  /** Links to the features of this organization; each feature registers its page in routes.ts. */
  private sectionLinks(org: OrgDetail, isBranch: boolean) {
    const roles = new Set(org.myRoles);
    const links: Array<[string, string]> = [];
    // Everyone holding roster.view: the branch's members (who see names only), its committee and
    // the committee above; an observer only. A party group's roster is its branch's, filtered.
    if (isBranch && [...roles].some((r) => r !== 'observer')) {
      const roster =
        org.kind === 'partyGroup'
          ? `/orgs/${org.parentId}/members?partyGroupId=${org.id}`
          : `/orgs/${org.id}/members`;
      links.push([roster, t('nav.members')]);
    }
    if (isBranch) links.push([`/orgs/${org.id}/meetings`, t('nav.meetings')]);
    if (isBranch && !roles.has('observer'))
      links.push([`/orgs/${org.id}/rectification`, t('nav.rectification')]);
    if (isBranch && roles.has('secretary')) links.push([`/orgs/${org.id}/live`, t('liveUi.meetings.nav')]);
    // Quality dashboards (dashboard.view): a branch's own page, or a committee's table of branches.
    if (roles.has('secretary') || roles.has('admin') || roles.has('committeeViewer')) {
      if (org.kind === 'partyBranch') links.push([`/orgs/${org.id}/dashboard`, t('nav.dashboard')]);
      else if (org.kind !== 'partyGroup')
        links.push([`/orgs/${org.id}/committee-dashboard`, t('nav.dashboard')]);
    }
    if (roles.has('secretary') || roles.has('committeeViewer'))
      links.push([`/orgs/${org.id}/appraisals`, t('nav.appraisals')]);
    // k and the appraisal referral flag live in the rubric too: committees set them there.
    if (
      org.kind !== 'partyGroup' &&
      ['admin', 'committeeViewer', 'secretary'].some((r) => roles.has(r as Role))
    )
      links.push([`/orgs/${org.id}/quality-rubric`, t('quality.rubric.link')]);
    return links.map(([href, label]) => html`<a class="card" href=${href}>${label}</a>`);
  }

  private renderAdmin(org: OrgDetail) {
    const e = this.formError;
    const childKinds = organizationKinds.filter((k) => allowedParentKinds[k].includes(org.kind as never));
    return html`
      ${
        childKinds.length
          ? html`<div class="card">
            <h2>${t('org.add')}</h2>
            <form @submit=${this.addChild} novalidate>
              ${field('name', t('org.name'), html`<input id="name" name="name" aria-invalid=${isInvalid(e, 'name')} />`, { error: e })}
              ${field('kind', t('org.kind'), html`<select id="kind" name="kind">${childKinds.map((k) => html`<option value=${k}>${t(`organizationKind.${k}`)}</option>`)}</select>`, { error: e })}
              <label class="check"><input type="checkbox" name="isLeadershipGroup" /> ${t('org.isLeadershipGroup')}</label>
              <p><button class="primary" type="submit">${t('common.add')}</button></p>
            </form>
          </div>`
          : nothing
      }
      <div class="card">
        <h2>${t('org.grants')}</h2>
        <div class="table-wrap"><table>
          <thead><tr><th>${t('auth.displayName')}</th><th>${t('auth.login')}</th><th>${t('org.grantRole')}</th><th>${t('common.date')}</th><th></th></tr></thead>
          <tbody>${this.grants.map(
            (
              g,
            ) => html`<tr><td>${g.displayName}</td><td>${g.login}</td><td>${t(`role.${g.role}`)}</td><td>${formatDate(g.createdAt)}</td>
              <td><button class="link" @click=${() => this.revoke(g.id)}>${t('common.delete')}</button></td></tr>`,
          )}</tbody>
        </table></div>
        <form class="row" @submit=${this.addGrant} novalidate style="margin-top: 0.75rem; align-items: flex-end">
          ${field('grantLogin', t('auth.login'), html`<input id="grantLogin" name="login" autocapitalize="off" />`, { error: e, name: 'login' })}
          ${field('grantRole', t('org.grantRole'), html`<select id="grantRole" name="role">${grantableRoles.map((r) => html`<option value=${r}>${t(`role.${r}`)}</option>`)}</select>`)}
          <div class="field"><button type="submit">${t('common.add')}</button></div>
        </form>
        <h3>${t('org.createAccount')}</h3>
        <form class="row" @submit=${this.createAccount} novalidate style="align-items: flex-end">
          ${field('accDisplayName', t('auth.displayName'), html`<input id="accDisplayName" name="displayName" />`, { error: e, name: 'displayName' })}
          ${field('accLogin', t('auth.login'), html`<input id="accLogin" name="login" autocapitalize="off" />`, { error: e, name: 'login' })}
          ${field('accPassword', t('auth.password'), html`<input id="accPassword" name="password" type="password" autocomplete="new-password" />`, { error: e, name: 'password', hint: t('auth.passwordHint') })}
          <div class="field"><button type="submit">${t('common.add')}</button></div>
        </form>
      </div>
    `;
  }

  private async run(action: () => Promise<unknown>, form?: HTMLFormElement) {
    this.formError = undefined;
    this.notice = '';
    try {
      await action();
      form?.reset();
      this.notice = t('common.saved');
      await this.load();
    } catch (err) {
      this.formError = err;
    }
  }

  private addChild(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const v = formValues(form);
    return this.run(
      () =>
        api.post('/api/organizations', {
          parentId: this.org!.id,
          kind: v.kind,
          name: v.name,
          isLeadershipGroup: v.isLeadershipGroup === 'on',
        }),
      form,
    );
  }

  private addGrant(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    return this.run(() => api.post(`/api/organizations/${this.org!.id}/grants`, formValues(form)), form);
  }

  private createAccount(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    return this.run(() => api.post(`/api/organizations/${this.org!.id}/accounts`, formValues(form)), form);
  }

  private revoke(id: string) {
    return this.run(() => api.delete(`/api/grants/${id}`));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-org-page': MjOrgPage;
  }
}
