import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { issueSources, type PublicationScope, publicationScopes } from '../../shared/domain/enums.ts';
import { effectiveRectificationStatuses } from '../../shared/domain/rectification.ts';
import type {
  ItemListResponse,
  ItemSummary,
  MyItemsResponse,
  ProblemRow,
  RectificationOptions,
} from '../../shared/schemas/rectification.ts';
import { ApiError, api, query } from '../core/api.ts';
import { errorBanner } from '../core/forms.ts';
import { formatDate, t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { navigate } from '../core/router.ts';
import { baseStyles } from '../core/styles.ts';
import {
  dueLine,
  itemCard,
  NarrowScreenController,
  ownerText,
  rectificationStyles,
  statusBadge,
} from './view.ts';
import './mj-confirm.ts';
import './mj-item-form.ts';
import './mj-problem-form.ts';

type Tab = 'items' | 'problems';
const filterNames = ['status', 'meetingId', 'subjectMemberId', 'source'] as const;

/**
 * A branch's 整改清单: its rectification items (a table on a laptop, cards on a phone) and the
 * problems they answer, with filters kept in the address so a filtered list can be shared. The
 * branch committee records problems and items here and publishes the list; a plain member who
 * arrives here sees the items they are responsible for.
 */
@customElement('mj-rectification-list')
export class MjRectificationList extends MjPage {
  static override styles = [
    baseStyles,
    rectificationStyles,
    css`
      nav.crumbs { font-size: 0.9rem; margin-bottom: 0.5rem; }
      .heading { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; justify-content: space-between; margin-bottom: 1rem; }
      .heading h1 { margin: 0; }
      .filters { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: 0 1rem; align-items: end; }
      .filters .field { margin-bottom: 0.5rem; }
      [role='tablist'] { display: flex; gap: 0.25rem; border-bottom: 2px solid var(--mj-line); margin: 1rem 0; }
      [role='tab'] { border: none; border-bottom: 3px solid transparent; border-radius: 0; background: none; margin-bottom: -2px; font-weight: 600; color: var(--mj-muted); }
      [role='tab'][aria-selected='true'] { color: var(--mj-red); border-bottom-color: var(--mj-red); }
      td.num { color: var(--mj-muted); width: 2.5rem; }
      td.owner, td.due { white-space: nowrap; }
      .items-end { margin-top: 1rem; }
      details.filters-box > summary { cursor: pointer; padding: 0.6rem 0; font-weight: 600; }
      td .sub { color: var(--mj-muted); font-size: 0.85rem; margin-top: 0.2rem; }
      td a.measures { font-weight: 600; text-decoration: none; }
      td a.measures:hover { text-decoration: underline; }
      tr.overdue td:first-child { box-shadow: inset 4px 0 0 var(--mj-danger); }
      .publish { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; margin: 1rem 0; }
      .publish select { width: auto; }
      .problem-card .desc { font-weight: 600; font-size: 1.05rem; margin: 0; overflow-wrap: anywhere; }
      .problem-card ol.items { margin: 0.5rem 0 0.75rem; padding-left: 1.5rem; }
      .problem-card ol.items li { margin: 0.35rem 0; overflow-wrap: anywhere; }
      fieldset { min-width: 0; margin: 0 0 1rem; }
      mj-problem-form, mj-item-form { display: block; margin-top: 0.75rem; }
    `,
  ];

  private readonly screen = new NarrowScreenController(this);
  @state() private org?: { id: string; name: string };
  @state() private options?: RectificationOptions;
  @state() private list?: ItemListResponse;
  @state() private problems?: ProblemRow[];
  /** Set when the person may not see the whole list: their own items in this branch. */
  @state() private mine?: MyItemsResponse;
  @state() private error: unknown;
  @state() private actionError: unknown;
  @state() private notice = '';
  @state() private creating = false;
  /** The problem whose inline form or confirmation is open, and which one. */
  @state() private open?: { problemId: string; panel: 'addItem' | 'edit' | 'delete' };
  @state() private publishScope: PublicationScope = 'branch';
  @state() private confirmingPublish = false;

  private get orgId() {
    return this.params.orgId ?? '';
  }
  private get tab(): Tab {
    return this.query.get('tab') === 'problems' ? 'problems' : 'items';
  }
  private filter(name: (typeof filterNames)[number]) {
    return this.query.get(name) ?? '';
  }

  /** The shell hands over fresh params on every render; only another branch means a reload. */
  private loadedOrgId = '';

  override updated(changed: Map<string, unknown>) {
    if (this.orgId !== this.loadedOrgId) void this.loadBranch();
    else if (changed.has('query') && this.options) void this.loadList();
  }

  private async loadBranch() {
    this.loadedOrgId = this.orgId;
    this.error = undefined;
    this.mine = undefined;
    try {
      this.org = await api.get(`/api/organizations/${this.orgId}`);
      try {
        this.options = await api.get<RectificationOptions>(
          `/api/organizations/${this.orgId}/rectification/options`,
        );
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 403)) throw err;
        this.mine = await api.get<MyItemsResponse>('/api/me/rectification');
        return;
      }
      await this.loadList();
    } catch (err) {
      this.error = err;
    }
  }

  private async loadList() {
    try {
      const filters = Object.fromEntries(filterNames.map((n) => [n, this.filter(n)]));
      if (this.tab === 'items') {
        this.list = await api.get<ItemListResponse>(
          `/api/organizations/${this.orgId}/rectification/items${query(filters)}`,
        );
      } else {
        const { status: _, ...problemFilters } = filters;
        this.problems = await api.get<ProblemRow[]>(
          `/api/organizations/${this.orgId}/problems${query(problemFilters)}`,
        );
      }
      this.error = undefined;
    } catch (err) {
      this.error = err;
    }
  }

  private setQuery(changes: Record<string, string>) {
    const next: Record<string, string> = { tab: this.tab === 'items' ? '' : this.tab };
    for (const n of filterNames) next[n] = this.filter(n);
    navigate(`/orgs/${this.orgId}/rectification${query({ ...next, ...changes })}`, { replace: true });
  }

  override render() {
    if (this.error) return errorBanner(this.error);
    if (!this.org) return html`<p class="muted">${t('common.loading')}</p>`;
    const crumbs = html`<nav class="crumbs" aria-label="breadcrumb"><a href="/orgs/${this.org.id}">${this.org.name}</a></nav>`;
    if (this.mine) return html`${crumbs}${this.renderMine(this.mine)}`;
    const canManage = !!this.options?.canManage;
    return html`
      ${crumbs}
      <div class="heading">
        <h1>${t('rectification.title')}</h1>
        ${canManage && !this.creating ? html`<button class="primary" @click=${() => (this.creating = true)}>+ ${t('rectification.newProblem')}</button>` : nothing}
      </div>
      ${this.notice ? html`<div class="alert ok" role="status">${this.notice}</div>` : nothing}
      ${
        this.creating
          ? html`<div class="card"><mj-problem-form .organizationId=${this.orgId} .options=${this.options}
              .meetingId=${this.filter('meetingId')}
              @saved=${() => this.afterSave(() => (this.creating = false))} @cancel=${() => (this.creating = false)}></mj-problem-form></div>`
          : nothing
      }
      <div role="tablist">
        ${(['items', 'problems'] as const).map(
          (tab) => html`<button role="tab" aria-selected=${this.tab === tab ? 'true' : 'false'}
            @click=${() => this.setQuery({ tab: tab === 'items' ? '' : tab, status: '' })}>${t(`rectification.${tab}Tab`)}</button>`,
        )}
      </div>
      ${this.tab === 'items' ? this.renderStatusChips() : nothing}
      ${this.renderFilters()}
      ${errorBanner(this.actionError)}
      ${this.tab === 'items' ? this.renderItems(canManage) : this.renderProblems(canManage)}
    `;
  }

  private renderMine(mine: MyItemsResponse) {
    const here = mine.items.filter((i) => i.organization.id === this.orgId);
    return html`
      <h1>${t('rectification.branchMine')}</h1>
      ${here.length === 0 ? html`<p class="muted">${t('rectification.myEmpty')}</p>` : here.map((i) => itemCard(i, mine.today))}
      <p><a class="button" href="/me/rectification">${t('rectification.allMine')}</a></p>
    `;
  }

  private renderStatusChips() {
    const counts = this.list?.counts;
    const total = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : 0;
    const current = this.filter('status');
    const chip = (value: string, label: string, count: number, cls = '') =>
      html`<button class=${cls} aria-pressed=${current === value ? 'true' : 'false'} @click=${() => this.setQuery({ status: value })}>
        ${label} <strong>${count}</strong></button>`;
    return html`<div class="chips" role="group" aria-label=${t('rectification.field.status')}>
      ${chip('', t('rectification.filterAll'), total)}
      ${effectiveRectificationStatuses.map((s) =>
        chip(
          s,
          t(`rectificationStatus.${s}`),
          counts?.[s] ?? 0,
          s === 'overdue' && (counts?.overdue ?? 0) > 0 ? 'overdue' : '',
        ),
      )}
    </div>`;
  }

  private renderFilters() {
    const options = this.options;
    const select = (
      name: (typeof filterNames)[number],
      label: string,
      choices: Array<[string, string]>,
    ) => html`
      <div class="field">
        <label for="f-${name}">${label}</label>
        <select id="f-${name}" @change=${(e: Event) => this.setQuery({ [name]: (e.target as HTMLSelectElement).value })}>
          <option value="">${t('rectification.filterAll')}</option>
          ${choices.map(([value, text]) => html`<option value=${value} ?selected=${this.filter(name) === value}>${text}</option>`)}
        </select>
      </div>`;
    const active = filterNames.some((n) => n !== 'status' && this.filter(n));
    const fields = html`<div class="filters" role="group" aria-label=${t('rectification.filters')}>
      ${select(
        'meetingId',
        t('rectification.field.meeting'),
        (options?.meetings ?? []).map((m) => [m.id, `${formatDate(m.startsAt)} ${m.title}`]),
      )}
      ${select(
        'subjectMemberId',
        t('rectification.field.subject'),
        (options?.members ?? []).map((m) => [m.id, m.name]),
      )}
      ${select(
        'source',
        t('rectification.field.source'),
        issueSources.map((s) => [s, t(`issueSource.${s}`)]),
      )}
      ${active ? html`<div class="field"><button @click=${() => this.setQuery({ meetingId: '', subjectMemberId: '', source: '' })}>${t('rectification.clearFilters')}</button></div>` : nothing}
    </div>`;
    // On a phone the three selects would push the list below the fold: fold them unless in use.
    return this.screen.narrow
      ? html`<details class="filters-box" ?open=${active}><summary>${t('rectification.filters')}</summary>${fields}</details>`
      : fields;
  }

  private renderItems(canManage: boolean) {
    const list = this.list;
    if (!list) return html`<p class="muted">${t('common.loading')}</p>`;
    if (list.items.length === 0) return html`<p class="muted">${t('common.empty')}</p>`;
    return html`
      <p class="muted small">${t('rectification.count', { count: list.items.length })}</p>
      ${this.screen.narrow ? list.items.map((i) => itemCard(i, list.today)) : this.renderTable(list)}
      ${canManage ? this.renderPublish(list.items) : nothing}
    `;
  }

  private renderTable(list: ItemListResponse) {
    return html`<div class="table-wrap"><table>
      <thead><tr>
        <th>#</th><th>${t('rectification.field.problem')}</th><th>${t('rectification.field.measures')}</th>
        <th>${t('rectification.field.ownerMemberId')}</th><th>${t('rectification.field.dueOn')}</th><th>${t('rectification.field.status')}</th>
      </tr></thead>
      <tbody>${list.items.map(
        (item, index) => html`<tr class=${item.effectiveStatus === 'overdue' ? 'overdue' : ''}>
          <td class="num">${index + 1}</td>
          <td>${item.problem.description}
            <div class="sub">${[
              item.subject?.name ?? t('subjectScope.branch'),
              t(`issueSource.${item.problem.source}`),
              item.meeting?.title,
            ]
              .filter(Boolean)
              .join(' · ')}</div></td>
          <td><a class="measures" href="/rectification/${item.id}">${item.measures}</a>
            ${item.immediateFix ? html`<div class="sub"><span class="badge">${t('rectification.immediateFixBadge')}</span></div>` : nothing}</td>
          <td class="owner">${ownerText(item)}</td>
          <td class="due">${dueLine(item, list.today)}</td>
          <td>${statusBadge(item.effectiveStatus)}
            ${item.publishedScope ? html`<div class="sub">${t(`publicationScope.${item.publishedScope}`)}</div>` : nothing}</td>
        </tr>`,
      )}</tbody>
    </table></div>`;
  }

  /** Publishing (公示) applies to what the filters show, so a secretary can publish one meeting's list. */
  private renderPublish(items: ItemSummary[]) {
    const ids = items.filter((i) => i.status !== 'cancelled').map((i) => i.id);
    if (ids.length === 0) return nothing;
    const scopeLabel = t(`publicationScope.${this.publishScope}`);
    return html`<div class="card items-end">
      <h2>${t('rectification.publication')}</h2>
      <div class="publish">
        <label class="visually-hidden" for="publish-scope">${t('rectification.publication')}</label>
        <select id="publish-scope" @change=${(e: Event) => (this.publishScope = (e.target as HTMLSelectElement).value as PublicationScope)}>
          ${publicationScopes.map((s) => html`<option value=${s} ?selected=${this.publishScope === s}>${t(`publicationScope.${s}`)}</option>`)}
        </select>
        <button @click=${() => (this.confirmingPublish = true)}>${t('rectification.publishListed', { count: ids.length })}</button>
      </div>
      ${
        this.confirmingPublish
          ? html`<mj-confirm .message=${t('rectification.confirmPublish', { count: ids.length, scope: scopeLabel })}
              .confirmLabel=${t('rectification.publish')}
              @cancel=${() => (this.confirmingPublish = false)}
              @confirm=${() =>
                this.act(async () => {
                  await api.post(`/api/organizations/${this.orgId}/rectification/publish`, {
                    itemIds: ids,
                    scope: this.publishScope,
                  });
                  this.confirmingPublish = false;
                })}></mj-confirm>`
          : nothing
      }
    </div>`;
  }

  private renderProblems(canManage: boolean) {
    const problems = this.problems;
    if (!problems) return html`<p class="muted">${t('common.loading')}</p>`;
    if (problems.length === 0) return html`<p class="muted">${t('common.empty')}</p>`;
    return problems.map(
      (p) => html`<div class="card problem-card">
        <p class="desc">${p.description}</p>
        <p class="muted small">${[
          p.subject?.name ?? t('subjectScope.branch'),
          t(`issueSource.${p.source}`),
          p.category ? t(`problemCategory.${p.category}`) : '',
          p.meeting ? `${formatDate(p.meeting.startsAt)} ${p.meeting.title}` : '',
          t(`problemOrigin.${p.originKind}`),
        ]
          .filter(Boolean)
          .join(' · ')}</p>
        ${
          p.items.length === 0
            ? html`<p class="muted">${t('rectification.noItems')}</p>`
            : html`<ol class="items">${p.items.map(
                (i) =>
                  html`<li>${statusBadge(i.effectiveStatus)} <a href="/rectification/${i.id}">${i.measures}</a></li>`,
              )}</ol>`
        }
        ${canManage ? this.renderProblemActions(p) : nothing}
      </div>`,
    );
  }

  private renderProblemActions(p: ProblemRow) {
    const close = () => {
      this.open = undefined;
    };
    const toggle = (panel: 'addItem' | 'edit' | 'delete') => () => {
      this.open = { problemId: p.id, panel };
    };
    const panel = this.open?.problemId === p.id ? this.open.panel : undefined;
    return html`
      <div class="row">
        <button @click=${toggle('addItem')}>+ ${t('rectification.addItem')}</button>
        ${
          p.locked
            ? html`<span class="muted small">${t('rectification.problemLocked')}</span>`
            : html`<button @click=${toggle('edit')}>${t('rectification.editProblem')}</button>`
        }
        ${p.items.length === 0 ? html`<button class="danger" @click=${toggle('delete')}>${t('rectification.deleteProblem')}</button>` : nothing}
      </div>
      ${
        panel === 'addItem'
          ? html`<mj-item-form .problemId=${p.id} .members=${this.options?.members ?? []}
              @saved=${() => this.afterSave(close)} @cancel=${close}></mj-item-form>`
          : nothing
      }
      ${
        panel === 'edit'
          ? html`<mj-problem-form .organizationId=${this.orgId} .options=${this.options} .problem=${p}
              @saved=${() => this.afterSave(close)} @cancel=${close}></mj-problem-form>`
          : nothing
      }
      ${
        panel === 'delete'
          ? html`<mj-confirm danger .message=${t('rectification.confirmDeleteProblem')} .confirmLabel=${t('common.delete')}
              @cancel=${close} @confirm=${() => this.act(() => api.delete(`/api/problems/${p.id}`)).then(close)}></mj-confirm>`
          : nothing
      }
    `;
  }

  private async afterSave(done: () => void) {
    done();
    this.notice = t('common.saved');
    await this.loadList();
  }

  private async act(action: () => Promise<unknown>) {
    this.actionError = undefined;
    this.notice = '';
    try {
      await action();
      this.notice = t('common.saved');
      await this.loadList();
    } catch (err) {
      this.actionError = err;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-rectification-list': MjRectificationList;
  }
}
