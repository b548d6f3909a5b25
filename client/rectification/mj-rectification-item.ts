import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { type PublicationScope, publicationScopes } from '../../shared/domain/enums.ts';
import {
  actionRules,
  evidenceContentTypes,
  type FieldChange,
  maxEvidenceFileBytes,
  type RectificationAction,
} from '../../shared/domain/rectification.ts';
import type {
  ItemDetail,
  RectificationEventRow,
  RectificationOptions,
} from '../../shared/schemas/rectification.ts';
import { ApiError, api } from '../core/api.ts';
import { errorBanner, field, formValues, isInvalid } from '../core/forms.ts';
import { formatDate, t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { baseStyles } from '../core/styles.ts';
import { dueLine, ownerText, rectificationStyles, statusBadge } from './view.ts';
import './mj-confirm.ts';
import './mj-item-form.ts';

/**
 * One rectification item: the problem, the measures, where it stands, its evidence and its whole
 * history. Phone-first, because the owner opens it from "my items" to report progress; the branch
 * committee uses the same page on a laptop to edit, verify (对账销号), publish and record 回头看.
 */
@customElement('mj-rectification-item')
export class MjRectificationItem extends MjPage {
  static override styles = [
    baseStyles,
    rectificationStyles,
    css`
      :host { max-width: 860px; margin: 0 auto; }
      nav.crumbs { font-size: 0.9rem; margin-bottom: 0.5rem; }
      .status-line { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin-bottom: 0.5rem; }
      .status-line .status { font-size: 1rem; padding: 0.3rem 0.9rem; }
      h1 { overflow-wrap: anywhere; }
      .actions { display: flex; flex-wrap: wrap; gap: 0.75rem; margin: 1rem 0; }
      .actions button { flex: 1 1 12rem; font-size: 1.05rem; min-height: 52px; }
      dl { display: grid; grid-template-columns: minmax(6rem, max-content) 1fr; gap: 0.5rem 1rem; margin: 0; }
      dt { color: var(--mj-muted); }
      dd { margin: 0; overflow-wrap: anywhere; white-space: pre-line; }
      @media (max-width: 600px) {
        dl { grid-template-columns: 1fr; gap: 0.1rem; }
        dd { margin-bottom: 0.5rem; }
      }
      ul.evidence { list-style: none; padding: 0; margin: 0; }
      ul.evidence li { border-bottom: 1px solid var(--mj-line); padding: 0.6rem 0; display: flex; gap: 0.75rem; align-items: flex-start; flex-wrap: wrap; }
      ul.evidence .what { flex: 1 1 12rem; overflow-wrap: anywhere; }
      ul.evidence img { max-width: 100%; max-height: 180px; border-radius: 6px; display: block; margin-top: 0.4rem; }
      ol.timeline { list-style: none; padding: 0; margin: 0; border-left: 3px solid var(--mj-line); }
      ol.timeline > li { position: relative; padding: 0 0 1rem 1.1rem; }
      ol.timeline > li::before { content: ''; position: absolute; left: -8px; top: 0.35rem; width: 13px; height: 13px; border-radius: 50%; background: var(--mj-line); }
      ol.timeline > li.transition::before { background: var(--mj-focus); }
      ol.timeline time { color: var(--mj-muted); font-size: 0.85rem; display: block; }
      ol.timeline .note { margin: 0.25rem 0 0; padding: 0.4rem 0.6rem; background: #f6f8fa; border-radius: 6px; white-space: pre-line; overflow-wrap: anywhere; }
      ol.timeline ul { margin: 0.25rem 0 0; padding-left: 1.25rem; list-style: disc; }
      .inline-form { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: flex-end; }
      .inline-form .field { flex: 1 1 14rem; margin-bottom: 0; }
      mj-item-form { display: block; }
      form.add-evidence { margin-top: 1.25rem; }
    `,
  ];

  @state() private item?: ItemDetail;
  @state() private options?: RectificationOptions;
  @state() private error: unknown;
  @state() private actionError: unknown;
  @state() private evidenceError: unknown;
  @state() private notice = '';
  @state() private confirming?: RectificationAction;
  @state() private removingEvidence = '';
  @state() private editing = false;
  @state() private busy = false;
  private loadedId = '';

  override updated() {
    if (this.params.id && this.params.id !== this.loadedId) {
      this.loadedId = this.params.id;
      void this.load();
    }
  }

  private async load() {
    try {
      const item = await api.get<ItemDetail>(`/api/rectification/items/${this.params.id}`);
      this.show(item);
      if ((item.rights.edit || item.rights.review) && !this.options)
        this.options = await api.get<RectificationOptions>(
          `/api/organizations/${item.organization.id}/rectification/options`,
        );
    } catch (err) {
      this.error = err;
    }
  }

  private show(item: ItemDetail) {
    this.item = item;
    this.error = undefined;
  }

  override render() {
    if (this.error) return errorBanner(this.error);
    const item = this.item;
    if (!item) return html`<p class="muted">${t('common.loading')}</p>`;
    const back = item.rights.viewList
      ? html`<a href="/orgs/${item.organization.id}/rectification">${t('rectification.backToList')}</a>`
      : html`<a href="/me/rectification">${t('rectification.backToMine')}</a>`;
    return html`
      <nav class="crumbs" aria-label="breadcrumb">${back}</nav>
      <div class="status-line">
        ${statusBadge(item.effectiveStatus)}
        ${item.immediateFix ? html`<span class="badge">${t('rectification.immediateFixBadge')}</span>` : nothing}
        ${item.rights.isOwner ? html`<span class="badge warn">${t('rectification.mine')}</span>` : nothing}
        <span class="muted small">${item.organization.name}</span>
      </div>
      <h1>${item.measures}</h1>
      <p><span class="muted">${t('rectification.field.dueOn')}</span> ${dueLine(item, item.today)}</p>
      ${this.notice ? html`<div class="alert ok" role="status">${this.notice}</div>` : nothing}
      ${this.ownerHint(item)}
      ${this.renderActions(item)}
      ${this.renderProblem(item)}
      ${this.renderDetails(item)}
      ${this.renderEvidence(item)}
      ${item.rights.publish || item.rights.review ? this.renderFollowUp(item) : nothing}
      ${this.renderHistory(item)}
    `;
  }

  /** Tells the owner what is theirs to do, or that the committee has it now. */
  private ownerHint(item: ItemDetail) {
    if (!item.rights.isOwner) return nothing;
    if (item.status === 'completed')
      return html`<div class="alert ok">${t('rectification.awaitingVerification')}</div>`;
    if (item.rights.actions.length > 0 && !item.rights.publish)
      return html`<div class="alert warn">${t('rectification.ownerHint')}</div>`;
    return nothing;
  }

  private renderActions(item: ItemDetail) {
    const actions = item.rights.actions;
    if (actions.length === 0) return nothing;
    const pending = this.confirming;
    return html`
      <div class="actions">
        ${actions.map(
          (
            a,
          ) => html`<button class=${a === 'verify' || a === 'complete' ? 'primary' : a === 'cancel' ? 'danger' : ''}
            aria-expanded=${pending === a ? 'true' : 'false'}
            @click=${() => {
              this.confirming = a;
              this.actionError = undefined;
            }}>${t(`rectification.action.${a}`)}</button>`,
        )}
      </div>
      ${
        pending
          ? html`<mj-confirm
              .message=${t(`rectification.confirm.${pending}`)}
              .confirmLabel=${t(`rectification.action.${pending}`)}
              .noteLabel=${t(`rectification.note.${pending}`)}
              .noteRequired=${actionRules[pending].noteRequired}
              .danger=${pending === 'cancel'}
              .busy=${this.busy}
              .error=${this.actionError}
              @cancel=${() => (this.confirming = undefined)}
              @confirm=${(e: CustomEvent<{ note: string }>) => this.takeAction(pending, e.detail.note)}
            ></mj-confirm>`
          : nothing
      }
    `;
  }

  private async takeAction(action: RectificationAction, note: string) {
    this.busy = true;
    this.actionError = undefined;
    try {
      const item = await api.post<ItemDetail>(`/api/rectification/items/${this.item!.id}/actions`, {
        action,
        ...(note ? { note } : {}),
      });
      this.show(item);
      this.confirming = undefined;
      this.notice = t(`rectification.done.${action}`);
    } catch (err) {
      this.actionError = err;
    } finally {
      this.busy = false;
    }
  }

  private renderProblem(item: ItemDetail) {
    return html`<div class="card">
      <h2>${t('rectification.field.problem')}</h2>
      <p>${item.problem.description}</p>
      <dl>
        <dt>${t('rectification.field.scope')}</dt>
        <dd>${item.subject ? `${t('subjectScope.member')} · ${item.subject.name}` : t('subjectScope.branch')}</dd>
        <dt>${t('rectification.field.source')}</dt><dd>${t(`issueSource.${item.problem.source}`)}</dd>
        ${item.problem.category ? html`<dt>${t('rectification.field.category')}</dt><dd>${t(`problemCategory.${item.problem.category}`)}</dd>` : nothing}
        ${item.meeting ? html`<dt>${t('rectification.field.meeting')}</dt><dd>${formatDate(item.meeting.startsAt)} ${item.meeting.title}</dd>` : nothing}
      </dl>
    </div>`;
  }

  private renderDetails(item: ItemDetail) {
    if (this.editing)
      return html`<div class="card"><mj-item-form .item=${item} .members=${this.options?.members ?? []}
        @saved=${() => this.afterChange(() => (this.editing = false))} @cancel=${() => (this.editing = false)}></mj-item-form></div>`;
    const row = (label: string, value: unknown) => html`<dt>${label}</dt><dd>${value}</dd>`;
    return html`<div class="card">
      <div class="row"><h2>${t('rectification.itemsTab')}</h2><span class="spacer"></span>
        ${item.rights.edit ? html`<button @click=${() => (this.editing = true)}>${t('common.edit')}</button>` : nothing}</div>
      <dl>
        ${row(t('rectification.field.ownerMemberId'), ownerText(item))}
        ${row(t('rectification.field.timeliness'), t(`rectification.timeliness.${item.timeliness}`))}
        ${item.pledge ? row(t('rectification.field.pledge'), item.pledge) : nothing}
        ${item.completionNote ? row(t('rectification.field.completionNote'), item.completionNote) : nothing}
        ${item.completedAt ? row(t('rectification.field.completedAt'), formatDate(item.completedAt, true)) : nothing}
        ${
          item.verifiedAt
            ? row(
                t('rectification.field.verified'),
                t('rectification.verifiedByAt', {
                  name: item.verifiedBy ?? '',
                  time: formatDate(item.verifiedAt, true),
                }),
              )
            : nothing
        }
        ${item.cancelledReason ? row(t('rectification.field.cancelledReason'), item.cancelledReason) : nothing}
        ${row(
          t('rectification.publication'),
          item.publishedScope && item.publishedAt
            ? t('rectification.publishedIn', {
                scope: t(`publicationScope.${item.publishedScope}`),
                time: formatDate(item.publishedAt),
              })
            : t('rectification.notPublished'),
        )}
        ${row(
          t('rectification.review'),
          item.reviewedAtMeeting
            ? `${formatDate(item.reviewedAtMeeting.startsAt)} ${item.reviewedAtMeeting.title}`
            : t('rectification.notReviewed'),
        )}
      </dl>
    </div>`;
  }

  private renderEvidence(item: ItemDetail) {
    const e = this.evidenceError;
    return html`<div class="card">
      <h2>${t('rectification.evidence')}</h2>
      ${
        item.evidence.length === 0
          ? html`<p class="muted">${t('rectification.noEvidence')}</p>`
          : html`<ul class="evidence">${item.evidence.map(
              (ev) => html`<li>
                <div class="what">
                  <strong>${ev.description}</strong>
                  ${ev.link ? html`<div><a href=${ev.link} target="_blank" rel="noopener noreferrer">${ev.link}</a></div>` : nothing}
                  ${
                    ev.file
                      ? html`<div><a href="/api/rectification/attachments/${ev.file.id}" target="_blank" rel="noopener">${ev.file.name}</a>
                          <span class="muted small">(${fileSize(ev.file.sizeBytes)})</span></div>
                          ${ev.file.contentType.startsWith('image/') ? html`<img src="/api/rectification/attachments/${ev.file.id}" alt=${ev.description} loading="lazy" />` : nothing}`
                      : nothing
                  }
                  <div class="muted small">${t('rectification.evidenceAddedBy', { name: ev.addedBy ?? '', time: formatDate(ev.addedAt, true) })}</div>
                </div>
                ${
                  item.rights.addEvidence
                    ? this.removingEvidence === ev.id
                      ? html`<mj-confirm danger .message=${t('rectification.confirmRemoveEvidence')} .confirmLabel=${t('rectification.removeEvidence')}
                          @cancel=${() => (this.removingEvidence = '')}
                          @confirm=${() => this.removeEvidence(ev.id)}></mj-confirm>`
                      : html`<button class="link" @click=${() => (this.removingEvidence = ev.id)}>${t('rectification.removeEvidence')}</button>`
                    : nothing
                }
              </li>`,
            )}</ul>`
      }
      ${
        item.rights.addEvidence
          ? html`<form class="add-evidence" @submit=${this.addEvidence} novalidate>
              <h3>${t('rectification.addEvidence')}</h3>
              ${field(
                'ev-description',
                t('rectification.evidenceDescription'),
                html`<input id="ev-description" name="description" maxlength="500" required aria-invalid=${isInvalid(e, 'description')} />`,
                { error: e, name: 'description' },
              )}
              ${field(
                'ev-link',
                t('rectification.evidenceLink'),
                html`<input id="ev-link" name="link" type="url" inputmode="url" placeholder="https://" aria-invalid=${isInvalid(e, 'link')} />`,
                { error: e, name: 'link', hint: t('common.optional') },
              )}
              ${field(
                'ev-file',
                t('rectification.evidenceFile'),
                html`<input id="ev-file" name="file" type="file" accept=${evidenceContentTypes.join(',')} aria-invalid=${isInvalid(e, 'file')} />`,
                { error: e, name: 'file', hint: t('rectification.evidenceFileHint') },
              )}
              ${errorBanner(e)}
              <button type="submit" ?disabled=${this.busy}>${t('rectification.addEvidence')}</button>
            </form>`
          : nothing
      }
    </div>`;
  }

  private async addEvidence(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const v = formValues(form);
    const file = (form.elements.namedItem('file') as HTMLInputElement).files?.[0];
    const url = `/api/rectification/items/${this.item!.id}/evidence`;
    if (file && file.size > maxEvidenceFileBytes) {
      // Said before uploading: ten megabytes over venue Wi-Fi only to be refused would be cruel.
      this.evidenceError = new ApiError(413, 'request.tooLarge', { file: 'fileTooLarge' });
      return;
    }
    this.busy = true;
    this.evidenceError = undefined;
    try {
      if (file) {
        // Text fields first: the server reads the parts in order and the file is the big one.
        const data = new FormData();
        data.append('description', v.description ?? '');
        if (v.link) data.append('link', v.link);
        data.append('file', file);
        await api.post(`${url}/file`, data);
      } else {
        await api.post(url, { description: v.description || undefined, ...(v.link ? { link: v.link } : {}) });
      }
      form.reset();
      await this.afterChange();
    } catch (err) {
      this.evidenceError = err;
    } finally {
      this.busy = false;
    }
  }

  private async removeEvidence(id: string) {
    try {
      await api.delete(`/api/rectification/items/${this.item!.id}/evidence/${id}`);
      await this.afterChange(() => (this.removingEvidence = ''));
    } catch (err) {
      this.evidenceError = err;
    }
  }

  private renderFollowUp(item: ItemDetail) {
    const origin = item.meeting?.startsAt ?? item.createdAt;
    const later = (this.options?.meetings ?? []).filter(
      (m) => m.status !== 'cancelled' && m.startsAt > origin,
    );
    return html`<div class="card">
      <h2>${t('rectification.publication')} · ${t('rectification.review')}</h2>
      ${errorBanner(this.actionError && !this.confirming ? this.actionError : undefined)}
      ${
        item.rights.publish
          ? html`<form class="inline-form" @submit=${this.publish}>
              ${field(
                'pub-scope',
                t('rectification.publication'),
                html`<select id="pub-scope" name="scope">
                  ${publicationScopes.map((s) => html`<option value=${s} ?selected=${item.publishedScope === s}>${t(`publicationScope.${s}`)}</option>`)}
                </select>`,
              )}
              <button type="submit">${t('rectification.publish')}</button>
              ${item.publishedScope ? html`<button type="button" @click=${() => this.setPublication(null)}>${t('rectification.withdrawPublication')}</button>` : nothing}
            </form>`
          : nothing
      }
      ${
        item.rights.review
          ? later.length === 0
            ? html`<p class="muted">${t('rectification.noLaterMeeting')}</p>`
            : html`<form class="inline-form" @submit=${this.review} style="margin-top: 1rem">
                ${field(
                  'review-meeting',
                  t('rectification.reviewMeeting'),
                  html`<select id="review-meeting" name="meetingId" aria-invalid=${isInvalid(this.actionError, 'meetingId')}>
                    ${later.map((m) => html`<option value=${m.id} ?selected=${item.reviewedAtMeeting?.id === m.id}>${formatDate(m.startsAt)} ${m.title}</option>`)}
                  </select>`,
                  { error: this.actionError, name: 'meetingId' },
                )}
                <button type="submit">${t('rectification.saveReview')}</button>
                ${item.reviewedAtMeeting ? html`<button type="button" @click=${() => this.setReview(null)}>${t('rectification.clearReview')}</button>` : nothing}
              </form>`
          : nothing
      }
    </div>`;
  }

  private publish(event: SubmitEvent) {
    event.preventDefault();
    return this.setPublication(formValues(event.target as HTMLFormElement).scope as PublicationScope);
  }

  private setPublication(scope: PublicationScope | null) {
    return this.change(() =>
      api.post(`/api/organizations/${this.item!.organization.id}/rectification/publish`, {
        itemIds: [this.item!.id],
        scope,
      }),
    );
  }

  private review(event: SubmitEvent) {
    event.preventDefault();
    return this.setReview(formValues(event.target as HTMLFormElement).meetingId || null);
  }

  private setReview(meetingId: string | null) {
    return this.change(() => api.put(`/api/rectification/items/${this.item!.id}/review`, { meetingId }));
  }

  private async change(request: () => Promise<unknown>) {
    this.actionError = undefined;
    this.confirming = undefined;
    try {
      await request();
      await this.afterChange();
    } catch (err) {
      this.actionError = err;
    }
  }

  private async afterChange(done?: () => void) {
    done?.();
    this.notice = t('common.saved');
    this.show(await api.get<ItemDetail>(`/api/rectification/items/${this.item!.id}`));
  }

  private renderHistory(item: ItemDetail) {
    return html`<div class="card">
      <h2>${t('rectification.history')}</h2>
      <ol class="timeline">
        ${[...item.events].reverse().map(
          (e) => html`<li class=${e.kind}>
            <time datetime=${e.at}>${formatDate(e.at, true)}</time>
            <strong>${e.by ?? ''}</strong> ${eventText(e)}
            ${e.changes?.length ? html`<ul>${e.changes.map((c) => html`<li>${changeText(c)}</li>`)}</ul>` : nothing}
            ${e.note ? html`<p class="note">${e.note}</p>` : nothing}
          </li>`,
        )}
      </ol>
    </div>`;
  }
}

function eventText(e: RectificationEventRow): string {
  switch (e.kind) {
    case 'transition':
      return e.fromStatus === null
        ? t('rectification.event.created')
        : t('rectification.event.transition', {
            from: t(`rectificationStatus.${e.fromStatus}`),
            to: t(`rectificationStatus.${e.toStatus}`),
          });
    case 'published':
      return e.scope
        ? t('rectification.event.published', { scope: t(`publicationScope.${e.scope}`) })
        : t('rectification.event.unpublished');
    case 'reviewed':
      return e.meeting
        ? t('rectification.event.reviewed', { meeting: e.meeting.title })
        : t('rectification.event.reviewCleared');
    case 'evidenceAdded':
    case 'evidenceRemoved':
      return t(`rectification.event.${e.kind}`, { description: e.description ?? '' });
    default:
      return t(`rectification.event.${e.kind}`);
  }
}

function changeText(c: FieldChange): string {
  const shown = (value: string | boolean | null) => {
    if (value === null || value === '') return t('common.none');
    if (typeof value === 'boolean') return t(value ? 'common.yes' : 'common.no');
    return c.field === 'dueOn' ? formatDate(value) : value;
  };
  return t('rectification.event.change', {
    field: t(`rectification.field.${c.field}`),
    before: shown(c.before),
    after: shown(c.after),
  });
}

function fileSize(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-rectification-item': MjRectificationItem;
  }
}
