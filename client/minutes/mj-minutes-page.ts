import { css, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import {
  attachmentExtensions,
  attachmentMaxBytes,
  type RecordingMethod,
  recordingMethods,
  type SignerRole,
} from '../../shared/domain/meetings.ts';
import { attendanceCounts, voteOutcome } from '../../shared/domain/quorum.ts';
import type { MeetingDetail } from '../../shared/schemas/meetings.ts';
import type { MinutesView } from '../../shared/schemas/minutes.ts';
import { ActionController } from '../core/action.ts';
import { ApiError, api } from '../core/api.ts';
import { errorBanner, field, isInvalid, revealFirstInvalid } from '../core/forms.ts';
import { formatDate, t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { baseStyles } from '../core/styles.ts';
import { statusBadgeOf } from '../meetings/meeting-format.ts';
import { meetingStyles } from '../meetings/styles.ts';
import '../core/mj-confirm-dialog.ts';
import type { MjConfirmDialog } from '../core/mj-confirm-dialog.ts';
import { askAmendmentReason } from './amendment-reason.ts';
import '../meetings/mj-quorum-indicator.ts';
import {
  amendmentList,
  fileSize,
  minutesSections,
  recordRows,
  signatureText,
  voteResultText,
  votingOf,
} from './minutes-format.ts';

type TextSection = 'agendaItems' | 'reports' | 'resolutions';

interface Draft {
  recordingMethod: RecordingMethod;
  custodianMemberId: string;
  agendaItems: string[];
  reports: string[];
  /** `speaker` is `m:<memberId>`, `g:<name>` (an observer who is not a member) or `other` (typed name). */
  speeches: Array<{ speaker: string; otherName: string; summary: string }>;
  votes: Array<{ item: string; yes: string; no: string; abstain: string }>;
  resolutions: string[];
  closingSummary: string;
}

// The uploader's own mimetype is not trusted by the server either; this only narrows the picker.
const accept = attachmentExtensions.map((e) => `.${e}`).join(',');

/**
 * The minutes (会议记录): the derived header and attendance, the sections the recorder writes
 * (repeatable speeches, votes, resolutions…), attachments, sign-off by host and recorder, and the
 * amendment history. Once locked, saving asks for a reason and becomes an amendment.
 */
@customElement('mj-minutes-page')
export class MjMinutesPage extends MjPage {
  static override styles = [
    baseStyles,
    meetingStyles,
    css`
      .counts { display: grid; grid-template-columns: repeat(3, 1fr); gap: 0 0.5rem; }
      .radios { display: flex; gap: 1.5rem; flex-wrap: wrap; }
      .radios label { min-height: 44px; margin: 0; }
      .savebar { position: sticky; bottom: 0; background: var(--mj-bg); padding: 0.75rem 0; display: flex; gap: 0.75rem; align-items: center; flex-wrap: wrap; z-index: 1; }
      .signatures { display: grid; grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr)); gap: 1rem; }
      .signature { border: 1px solid var(--mj-line); border-radius: 8px; padding: 0.75rem; }
      .signature h3 { margin-top: 0; }
      /* The file picker's own button speaks the browser's language, not the page's: ours stands in. */
      label.button { display: inline-flex; font-weight: 600; }
      #upload:focus-visible + label { outline: 3px solid var(--mj-focus); outline-offset: 2px; }
      ul.files { list-style: none; padding: 0; margin: 0 0 0.75rem; }
      ul.files li { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; padding: 0.35rem 0; border-bottom: 1px solid var(--mj-line); }
      ul.files a { word-break: break-all; }
      .speech { margin: 0.5rem 0; }
      .text { white-space: pre-wrap; }
      table.votes { font-size: 0.95rem; }
      ol.amendments > li { margin-bottom: 0.75rem; }
      section h2 { font-size: 1.05rem; }
    `,
  ];
  @state() private view?: MinutesView;
  @state() private meeting?: MeetingDetail;
  @state() private draft?: Draft;
  @state() private error: unknown;
  /** Saving, signing and filing attachments: one busy state and one error banner for the page. */
  private readonly action = new ActionController(this);
  @state() private notice = '';
  @query('mj-confirm-dialog') private dialog!: MjConfirmDialog;

  override updated(changed: Map<string, unknown>) {
    if (changed.has('params')) void this.load();
  }

  private async load() {
    try {
      const [meeting, view] = await Promise.all([
        api.get<MeetingDetail>(`/api/meetings/${this.params.id}`),
        api.get<MinutesView>(`/api/meetings/${this.params.id}/minutes`),
      ]);
      this.meeting = meeting;
      this.adopt(view);
      this.error = undefined;
    } catch (err) {
      this.error = err;
    }
  }

  /** Takes the server's minutes as the new saved state and resets the draft from it. */
  private adopt(view: MinutesView) {
    this.view = view;
    const c = view.content;
    const neverSaved = view.updatedAt === null;
    const observersByName = new Set(this.meeting?.observers.filter((o) => !o.memberId).map((o) => o.name));
    this.draft = {
      recordingMethod: view.recordingMethod,
      custodianMemberId: view.custodian?.memberId ?? (neverSaved ? this.suggestedCustodian() : ''),
      // A first draft starts from the scheduled agenda.
      agendaItems: neverSaved && c.agendaItems.length === 0 ? [...view.meetingAgenda] : c.agendaItems,
      reports: c.reports,
      speeches: c.speeches.map((s) => ({
        speaker: s.speakerMemberId
          ? `m:${s.speakerMemberId}`
          : observersByName.has(s.speakerName ?? '')
            ? `g:${s.speakerName}`
            : 'other',
        otherName: s.speakerMemberId ? '' : (s.speakerName ?? ''),
        summary: s.summary,
      })),
      votes: c.votes.map((v) => ({
        item: v.item,
        yes: String(v.yes),
        no: String(v.no),
        abstain: String(v.abstain),
      })),
      resolutions: c.resolutions,
      closingSummary: c.closingSummary,
    };
  }

  /** Records are usually kept by the organization officer (组织委员). */
  private suggestedCustodian(): string {
    return this.meeting?.invitees.find((i) => i.committeeRole === 'organization')?.memberId ?? '';
  }

  private body() {
    const d = this.draft!;
    const count = (v: string) => (v.trim() === '' ? 0 : Number(v));
    return {
      recordingMethod: d.recordingMethod,
      custodianMemberId: d.custodianMemberId || null,
      content: {
        agendaItems: d.agendaItems,
        reports: d.reports,
        speeches: d.speeches.map((s) =>
          s.speaker.startsWith('m:')
            ? { speakerMemberId: s.speaker.slice(2), summary: s.summary }
            : {
                speakerName: s.speaker.startsWith('g:') ? s.speaker.slice(2) : s.otherName,
                summary: s.summary,
              },
        ),
        votes: d.votes.map((v) => ({
          item: v.item,
          yes: count(v.yes),
          no: count(v.no),
          abstain: count(v.abstain),
        })),
        resolutions: d.resolutions,
        closingSummary: d.closingSummary,
      },
    };
  }

  private get dirty(): boolean {
    if (!this.view || !this.draft) return false;
    const saved = this.view;
    return (
      JSON.stringify(this.body()) !==
      JSON.stringify({
        recordingMethod: saved.recordingMethod,
        custodianMemberId: saved.custodian?.memberId ?? null,
        content: {
          ...saved.content,
          speeches: saved.content.speeches.map((s) =>
            s.speakerMemberId
              ? { speakerMemberId: s.speakerMemberId, summary: s.summary }
              : { speakerName: s.speakerName, summary: s.summary },
          ),
        },
      })
    );
  }

  private change(mutate: (d: Draft) => void) {
    const d = { ...this.draft! };
    mutate(d);
    this.draft = d;
    this.notice = '';
  }

  private async save() {
    const view = this.view!;
    const reason = await askAmendmentReason(this.dialog, !!view.lockedAt, {
      title: t('minutes.amendTitle'),
      confirmLabel: t('minutes.saveAmendment'),
    });
    if (reason === null) return;
    const hadSignature = !!(view.signatures.host || view.signatures.recorder);
    const done = await this.action.run(async () => {
      const saved = await api.put<MinutesView>(`/api/meetings/${view.meetingId}/minutes`, {
        ...this.body(),
        ...(reason ? { reason } : {}),
      });
      this.adopt(saved);
      const cleared = hadSignature && !saved.signatures.host && !saved.signatures.recorder && !saved.lockedAt;
      this.notice = t(cleared ? 'minutes.savedSignaturesCleared' : 'common.saved');
    });
    if (!done) await revealFirstInvalid(this);
  }

  private async sign(as: SignerRole) {
    const confirmed = await this.dialog.ask({
      title: t(`minutes.signAs.${as}`),
      message: t('minutes.signExplain'),
      confirmLabel: t('minutes.signConfirm'),
    });
    if (confirmed === null) return;
    await this.action.run(async () => {
      this.adopt(await api.post<MinutesView>(`/api/meetings/${this.view!.meetingId}/minutes/sign`, { as }));
      this.notice = t(this.view!.lockedAt ? 'minutes.lockedNotice' : 'minutes.signedNotice');
    });
  }

  override render() {
    if (this.error) return errorBanner(this.error);
    const view = this.view;
    const m = this.meeting;
    if (!view || !m || !this.draft) return html`<p class="muted">${t('common.loading')}</p>`;
    return html`
      <nav class="crumbs" aria-label=${t('meeting.breadcrumb')}>
        <a href="/orgs/${m.organizationId}/meetings">${t('nav.meetings')}</a> › <a href="/meetings/${m.id}">${m.title}</a>
      </nav>
      <div class="row">
        <h1>${t('minutes.title')}</h1>
        ${statusBadgeOf(view.meetingStatus)}
        ${view.lockedAt ? html`<span class="badge ok">${t('minutes.signedBadge')}</span>` : nothing}
        <span class="spacer"></span>
        <a class="button" href="/meetings/${m.id}/minutes/print">${t('minutes.printable')}</a>
      </div>
      ${view.lockedAt ? html`<div class="alert warn">${t('minutes.lockedExplain')}</div>` : nothing}
      ${this.renderRecord(view, m)}
      ${view.me.canEdit ? this.renderEditor(view) : html`<div class="card">${minutesSections(view)}</div>`}
      ${this.renderAttachments(view)} ${this.renderSignatures(view)}
      ${
        view.amendments.length
          ? html`<div class="card"><h2>${t('minutes.amendments')}</h2>${amendmentList(view)}</div>`
          : nothing
      }
      <mj-confirm-dialog></mj-confirm-dialog>
    `;
  }

  private renderRecord(view: MinutesView, m: MeetingDetail) {
    const counts = attendanceCounts([
      ...view.record.attendees.map(() => 'present' as const),
      ...view.record.absentees.map((a) => a.status),
      ...Array<null>(view.unmarkedCount).fill(null),
    ]);
    return html`<div class="card">
      <h2>${t('minutes.header')}</h2>
      <p class="muted small">${t(view.frozen ? 'minutes.headerFrozen' : 'minutes.headerDerived')}</p>
      <dl class="facts">${recordRows(view, { withQuorum: false }).map(([label, value]) => html`<dt>${label}</dt><dd>${value}</dd>`)}</dl>
      <mj-quorum-indicator .counts=${counts} .quorum=${view.record.quorum}></mj-quorum-indicator>
      ${
        view.unmarkedCount > 0
          ? html`<div class="alert warn">${t('minutes.unmarkedWarning', { n: view.unmarkedCount })}
            <a href="/meetings/${m.id}/attendance">${t('attendance.title')}</a></div>`
          : nothing
      }
    </div>`;
  }

  private renderEditor(view: MinutesView) {
    const d = this.draft!;
    const e = this.action.error;
    return html`
      ${errorBanner(e)}
      <fieldset>
        <legend>${t('minutes.field.recordingMethod')}</legend>
        <div class="radios" role="radiogroup">
          ${recordingMethods.map(
            (
              method,
            ) => html`<label class="check"><input type="radio" name="recordingMethod" .checked=${d.recordingMethod === method}
              @change=${() => this.change((dr) => (dr.recordingMethod = method))} /> ${t(`minutes.method.${method}`)}</label>`,
          )}
        </div>
        <p class="muted small">${t(`minutes.methodHint.${d.recordingMethod}`)}</p>
      </fieldset>
      ${this.textSection('agendaItems', false)} ${this.textSection('reports', true)}
      ${this.renderSpeeches()} ${this.renderVotes(view)} ${this.textSection('resolutions', true)}
      <fieldset>
        <legend>${t('minutes.field.closingSummary')}</legend>
        ${field(
          'closingSummary',
          t('minutes.field.closingSummary'),
          html`<textarea id="closingSummary" .value=${d.closingSummary} maxlength="20000" aria-invalid=${isInvalid(e, 'content.closingSummary')}
            @input=${(ev: Event) => this.change((dr) => (dr.closingSummary = (ev.target as HTMLTextAreaElement).value))}></textarea>`,
          { error: e, name: 'content.closingSummary' },
        )}
        ${field(
          'custodian',
          t('minutes.field.custodian'),
          html`<select id="custodian" aria-invalid=${isInvalid(e, 'custodianMemberId')} @change=${(ev: Event) => this.change((dr) => (dr.custodianMemberId = (ev.target as HTMLSelectElement).value))}>
            <option value="" ?selected=${!d.custodianMemberId}>${t('common.none')}</option>
            ${this.custodianOptions(view).map((p) => html`<option value=${p.memberId} ?selected=${d.custodianMemberId === p.memberId}>${p.name}</option>`)}
          </select>`,
          { error: e, name: 'custodianMemberId', hint: t('minutes.custodianHint') },
        )}
      </fieldset>
      <div class="savebar">
        <button class="primary" type="button" ?disabled=${this.action.busy || !this.dirty} @click=${this.save}>
          ${t(view.lockedAt ? 'minutes.saveAmendment' : 'common.save')}
        </button>
        ${this.dirty ? html`<span class="badge warn">${t('minutes.unsaved')}</span>` : nothing}
        ${this.notice ? html`<span class="badge ok" role="status">${this.notice}</span>` : nothing}
      </div>
    `;
  }

  private custodianOptions(view: MinutesView) {
    const people = this.meeting!.invitees.map((i) => ({ memberId: i.memberId, name: i.name }));
    const current = view.custodian;
    return current?.memberId && !people.some((p) => p.memberId === current.memberId)
      ? [{ memberId: current.memberId, name: current.name }, ...people]
      : people;
  }

  /** A repeatable list of texts (议题, 报告, 决议): add, edit, remove. */
  private textSection(key: TextSection, multiline: boolean) {
    const items = this.draft![key];
    const e = this.action.error;
    const set = (i: number, value: string) =>
      this.change((dr) => (dr[key] = dr[key].map((x, j) => (j === i ? value : x))));
    return html`<fieldset>
      <legend>${t(`minutes.field.${key}`)}</legend>
      ${items.map((value, i) => {
        const id = `${key}-${i}`;
        const label = `${t(`minutes.item.${key}`)} ${i + 1}`;
        const control = multiline
          ? html`<textarea id=${id} .value=${value} aria-invalid=${isInvalid(e, `content.${key}.${i}`)} @input=${(ev: Event) => set(i, (ev.target as HTMLTextAreaElement).value)}></textarea>`
          : html`<input id=${id} .value=${value} maxlength="500" aria-invalid=${isInvalid(e, `content.${key}.${i}`)} @input=${(ev: Event) => set(i, (ev.target as HTMLInputElement).value)} />`;
        return html`<div class="item">
          ${field(id, label, control, { error: e, name: `content.${key}.${i}` })}
          <button type="button" class="link" @click=${() => this.change((dr) => (dr[key] = dr[key].filter((_, j) => j !== i)))}>${t('common.delete')} ${label}</button>
        </div>`;
      })}
      <p><button type="button" @click=${() => this.change((dr) => (dr[key] = [...dr[key], '']))}>${t(`minutes.add.${key}`)}</button></p>
    </fieldset>`;
  }

  private renderSpeeches() {
    const d = this.draft!;
    const m = this.meeting!;
    const e = this.action.error;
    const update = (i: number, patch: Partial<Draft['speeches'][number]>) =>
      this.change((dr) => (dr.speeches = dr.speeches.map((s, j) => (j === i ? { ...s, ...patch } : s))));
    const memberObservers = m.observers.filter((o) => o.memberId);
    const guestObservers = m.observers.filter((o) => !o.memberId);
    return html`<fieldset>
      <legend>${t('minutes.field.speeches')}</legend>
      ${d.speeches.map(
        (s, i) => html`<div class="item">
          <div class="two">
            ${field(
              `speaker-${i}`,
              t('minutes.sub.speaker'),
              html`<select id="speaker-${i}" aria-invalid=${isInvalid(e, `content.speeches.${i}.speakerMemberId`)} @change=${(ev: Event) => update(i, { speaker: (ev.target as HTMLSelectElement).value })}>
                <optgroup label=${t('meeting.invitees')}>
                  ${m.invitees.map((p) => html`<option value="m:${p.memberId}" ?selected=${s.speaker === `m:${p.memberId}`}>${p.name}</option>`)}
                </optgroup>
                ${
                  m.observers.length
                    ? html`<optgroup label=${t('meeting.observers')}>
                      ${memberObservers.map((o) => html`<option value="m:${o.memberId}" ?selected=${s.speaker === `m:${o.memberId}`}>${o.name}</option>`)}
                      ${guestObservers.map((o) => html`<option value="g:${o.name}" ?selected=${s.speaker === `g:${o.name}`}>${o.name}</option>`)}
                    </optgroup>`
                    : nothing
                }
                <option value="other" ?selected=${s.speaker === 'other'}>${t('minutes.otherSpeaker')}</option>
              </select>`,
              { error: e, name: `content.speeches.${i}.speakerMemberId` },
            )}
            ${
              s.speaker === 'other'
                ? field(
                    `speaker-name-${i}`,
                    t('minutes.speakerName'),
                    html`<input id="speaker-name-${i}" .value=${s.otherName} maxlength="60" aria-invalid=${isInvalid(e, `content.speeches.${i}.speakerName`)} @input=${(ev: Event) => update(i, { otherName: (ev.target as HTMLInputElement).value })} />`,
                    { error: e, name: `content.speeches.${i}.speakerName` },
                  )
                : nothing
            }
          </div>
          ${field(
            `speech-${i}`,
            t(`minutes.speechText.${d.recordingMethod}`),
            html`<textarea id="speech-${i}" .value=${s.summary} aria-invalid=${isInvalid(e, `content.speeches.${i}.summary`)} @input=${(ev: Event) => update(i, { summary: (ev.target as HTMLTextAreaElement).value })}></textarea>`,
            { error: e, name: `content.speeches.${i}.summary` },
          )}
          <button type="button" class="link" @click=${() => this.change((dr) => (dr.speeches = dr.speeches.filter((_, j) => j !== i)))}>${t('common.delete')}</button>
        </div>`,
      )}
      <p><button type="button" @click=${() => this.change((dr) => (dr.speeches = [...dr.speeches, { speaker: m.invitees[0] ? `m:${m.invitees[0].memberId}` : 'other', otherName: '', summary: '' }]))}>${t('minutes.add.speeches')}</button></p>
    </fieldset>`;
  }

  private renderVotes(view: MinutesView) {
    const d = this.draft!;
    const e = this.action.error;
    const voting = votingOf(view);
    const update = (i: number, patch: Partial<Draft['votes'][number]>) =>
      this.change((dr) => (dr.votes = dr.votes.map((v, j) => (j === i ? { ...v, ...patch } : v))));
    const number = (i: number, key: 'yes' | 'no' | 'abstain', value: string) =>
      field(
        `vote-${key}-${i}`,
        t(`minutes.sub.${key}`),
        html`<input id="vote-${key}-${i}" type="number" min="0" inputmode="numeric" .value=${value} aria-invalid=${isInvalid(e, `content.votes.${i}.${key}`)}
          @input=${(ev: Event) => update(i, { [key]: (ev.target as HTMLInputElement).value })} />`,
        { error: e, name: `content.votes.${i}.${key}` },
      );
    return html`<fieldset>
      <legend>${t('minutes.field.votes')}</legend>
      <p class="muted small">${t('minutes.votingBasis', { expected: voting.expected, present: voting.present })}</p>
      ${d.votes.map((v, i) => {
        const counts = { yes: Number(v.yes) || 0, no: Number(v.no) || 0, abstain: Number(v.abstain) || 0 };
        const outcome = voteOutcome(counts, voting);
        return html`<div class="item">
          ${field(`vote-item-${i}`, t('minutes.sub.item'), html`<input id="vote-item-${i}" .value=${v.item} maxlength="300" aria-invalid=${isInvalid(e, `content.votes.${i}.item`)} @input=${(ev: Event) => update(i, { item: (ev.target as HTMLInputElement).value })} />`, { error: e, name: `content.votes.${i}.item` })}
          <div class="counts">${number(i, 'yes', v.yes)}${number(i, 'no', v.no)}${number(i, 'abstain', v.abstain)}</div>
          <p><span class="badge ${outcome.passed ? 'ok' : 'danger'}">${voteResultText(counts, voting)}</span></p>
          ${outcome.exceedsPresent ? html`<div class="alert warn">${t('error.minutes.votesExceedPresent')}</div>` : nothing}
          <button type="button" class="link" @click=${() => this.change((dr) => (dr.votes = dr.votes.filter((_, j) => j !== i)))}>${t('common.delete')}</button>
        </div>`;
      })}
      <p><button type="button" @click=${() => this.change((dr) => (dr.votes = [...dr.votes, { item: '', yes: '', no: '', abstain: '' }]))}>${t('minutes.add.votes')}</button></p>
    </fieldset>`;
  }

  private renderAttachments(view: MinutesView) {
    return html`<div class="card">
      <h2>${t('minutes.field.attachments')}</h2>
      ${
        view.attachments.length
          ? html`<ul class="files">${view.attachments.map(
              (f) => html`<li>
                <a href="/api/meetings/${view.meetingId}/minutes/attachments/${f.id}" download=${f.fileName}>${f.fileName}</a>
                <span class="muted small">${fileSize(f.sizeBytes)} · ${f.uploadedByName ?? ''} · ${formatDate(f.uploadedAt, true)}</span>
                ${view.me.canEdit ? html`<button type="button" class="link" @click=${() => this.removeFile(f.id, f.fileName)}>${t('common.delete')}</button>` : nothing}
              </li>`,
            )}</ul>`
          : html`<p class="muted">${t('minutes.noAttachments')}</p>`
      }
      ${
        view.me.canEdit
          ? html`<div class="field">
            <input id="upload" class="visually-hidden" type="file" accept=${accept} @change=${this.upload} />
            <label class="button" for="upload">${t('minutes.upload')}</label>
            <div class="muted small">${t('minutes.uploadHint')}</div>
          </div>`
          : nothing
      }
    </div>`;
  }

  private async upload(event: Event) {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    // Checked here too, so a phone does not send 10 MB only to be refused.
    this.action.setError(file.size > attachmentMaxBytes ? new ApiError(413, 'request.tooLarge') : undefined);
    if (this.action.error) {
      input.value = '';
      return;
    }
    const reason = await askAmendmentReason(this.dialog, !!this.view!.lockedAt, {
      title: t('minutes.upload'),
      confirmLabel: t('minutes.upload'),
    });
    if (reason === null) {
      input.value = '';
      return;
    }
    const form = new FormData();
    // The reason comes first: the server reads fields before the file.
    if (reason) form.append('reason', reason);
    form.append('file', file);
    await this.action.run(async () => {
      await api.post(`/api/meetings/${this.view!.meetingId}/minutes/attachments`, form);
      await this.refresh();
      this.notice = t('minutes.uploaded');
    });
    input.value = '';
  }

  private async removeFile(id: string, name: string) {
    const reason = await this.dialog.ask({
      title: t('minutes.removeAttachment', { name }),
      ...(this.view!.lockedAt
        ? { message: t('minutes.lockedExplain'), reasonLabel: t('minutes.amendReason') }
        : {}),
      confirmLabel: t('common.delete'),
      danger: true,
    });
    if (reason === null) return;
    await this.action.run(async () => {
      await api.delete(
        `/api/meetings/${this.view!.meetingId}/minutes/attachments/${id}${reason ? `?reason=${encodeURIComponent(reason)}` : ''}`,
      );
      await this.refresh();
    });
  }

  /** Reloads the saved minutes without discarding unsaved edits to the text. */
  private async refresh() {
    const draft = this.draft;
    const dirty = this.dirty;
    this.adopt(await api.get<MinutesView>(`/api/meetings/${this.view!.meetingId}/minutes`));
    if (dirty) this.draft = draft;
  }

  private renderSignatures(view: MinutesView) {
    const m = this.meeting!;
    const blocker =
      view.meetingStatus !== 'held'
        ? t('minutes.signAfterHeld')
        : view.unmarkedCount > 0
          ? t('minutes.unmarkedWarning', { n: view.unmarkedCount })
          : this.dirty
            ? t('minutes.saveBeforeSigning')
            : '';
    const signer = (role: SignerRole) => {
      const canSign = role === 'host' ? view.me.canSignAsHost : view.me.canSignAsRecorder;
      const hasAccount = role === 'host' ? view.signers.hostHasAccount : view.signers.recorderHasAccount;
      return html`<div class="signature">
        <h3>${t(`minutes.signer.${role}`)}</h3>
        <p>${signatureText(view, role)}</p>
        ${!view.signatures[role] && view.record[role] && !hasAccount ? html`<p class="muted small">${t('minutes.signerNoAccount')}</p>` : nothing}
        ${
          canSign
            ? html`<button type="button" class="primary" ?disabled=${!!blocker} @click=${() => this.sign(role)}>${t(`minutes.signAs.${role}`)}</button>
              ${blocker ? html`<p class="muted small">${blocker}</p>` : nothing}`
            : nothing
        }
      </div>`;
    };
    return html`<div class="card">
      <h2>${t('minutes.signatures')}</h2>
      ${!view.lockedAt && !m.host && !m.recorder ? html`<p class="muted">${t('error.minutes.signerNotSet')}</p>` : nothing}
      <div class="signatures">${signer('host')}${signer('recorder')}</div>
      ${this.notice && !view.me.canEdit ? html`<div class="alert ok" role="status">${this.notice}</div>` : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-minutes-page': MjMinutesPage;
  }
}
