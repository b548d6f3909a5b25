import { css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { OrganizationSummary } from '../../shared/schemas/organizations.ts';
import { api } from '../core/api.ts';
import { errorBanner } from '../core/forms.ts';
import { t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { baseStyles } from '../core/styles.ts';
import '../reminders/mj-reminders.ts';
import '../appraisal/mj-appraisal-notice.ts';
import { listOf } from '../members/labels.ts';
import { buildOrgTree, type OrgNode } from './org-tree.ts';

/** The landing page: reminders of what waits for the person, then every organization they hold a role in, as a tree. */
@customElement('mj-home')
export class MjHome extends MjPage {
  static override styles = [
    baseStyles,
    css`
      ul.tree { list-style: none; padding-left: 1.25rem; margin: 0.25rem 0; }
      ul.tree.root { padding-left: 0; }
      li { margin: 0.35rem 0; }
      a.org { font-weight: 600; text-decoration: none; display: inline-flex; min-height: 44px; align-items: center; }
    `,
  ];
  @state() private organizations?: OrganizationSummary[];
  @state() private error: unknown;

  override connectedCallback() {
    super.connectedCallback();
    api.get<OrganizationSummary[]>('/api/organizations').then(
      (list) => (this.organizations = list),
      (err) => (this.error = err),
    );
  }

  override render() {
    return html`<mj-reminders></mj-reminders><mj-appraisal-notice></mj-appraisal-notice>${this.renderTree()}`;
  }

  private renderTree() {
    if (this.error) return errorBanner(this.error);
    if (!this.organizations) return html`<p class="muted">${t('common.loading')}</p>`;
    const tree = buildOrgTree(this.organizations);
    return html`
      <h1>${t('org.tree')}</h1>
      ${tree.length === 0 ? html`<p class="muted">${t('common.empty')}</p>` : html`<div class="card">${this.renderNodes(tree, true)}</div>`}
    `;
  }

  private renderNodes(nodes: OrgNode[], root = false): unknown {
    return html`<ul class="tree ${root ? 'root' : ''}">
      ${nodes.map(
        (node) => html`<li>
          <a class="org" href="/orgs/${node.id}">${node.name}</a>
          <span class="badge">${t(`organizationKind.${node.kind}`)}</span>
          ${node.myRoles.length ? html`<span class="muted small">${listOf(node.myRoles.map((r) => t(`role.${r}`)))}</span>` : ''}
          ${node.children.length ? this.renderNodes(node.children) : ''}
        </li>`,
      )}
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-home': MjHome;
  }
}
