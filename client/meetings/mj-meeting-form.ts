import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { type MeetingMode, type MeetingType, meetingModes } from '../../shared/domain/enums.ts';
import { defaultInviteeIds, typesWithPreparation } from '../../shared/domain/meetings.ts';
import type { MeetingDetail, RosterMemberView } from '../../shared/schemas/meetings.ts';
import { ActionController } from '../core/action.ts';
import { api } from '../core/api.ts';
import { errorBanner, field, fieldError, isInvalid, revealFirstInvalid } from '../core/forms.ts';
import { t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { navigate } from '../core/router.ts';
import { baseStyles } from '../core/styles.ts';
import { fromLocalInput, toLocalInput, withNote } from './meeting-format.ts';
import { meetingStyles } from './styles.ts';

interface Roster {
  members: RosterMemberView[];
  observerCandidates: RosterMemberView[];
  allowedTypes: MeetingType[];
}

interface Draft {
  type: MeetingType;
  title: string;
  sessionNo: string;
  theme: string;
  startsAt: string;
  endsAt: string;
  location: string;
  mode: MeetingMode;
  hostMemberId: string;
  recorderMemberId: string;
  agenda: Array<{ title: string; notes: string }>;
  invitees: Set<string>;
  observers: Array<{ name: string; affiliation: string; memberId: string }>;
  includesAppraisal: boolean;
  preparation: { studyHeld: boolean; talksHeld: boolean; opinionSolicitationHeld: boolean; notes: string };
}

const preparationFlags = ['studyHeld', 'talksHeld', 'opinionSolicitationHeld'] as const;

/**
 * Schedules a meeting (/orgs/:orgId/meetings/new) or edits one (/meetings/:id/edit): every field of
 * the meeting, with the invitees starting as the default for the type until the secretary changes them.
 */
@customElement('mj-meeting-form')
export class MjMeetingForm extends MjPage {
  static override styles = [
    baseStyles,
    meetingStyles,
    css`
      form { max-width: 46rem; }
      .invitees { max-height: 22rem; overflow-y: auto; border: 1px solid var(--mj-line); border-radius: 8px; padding: 0.25rem 0.75rem; }
      .invitees label { min-height: 44px; margin: 0; }
      .checks label { min-height: 44px; margin: 0; }
      .submit { position: sticky; bottom: 0; background: var(--mj-bg); padding: 0.75rem 0; display: flex; gap: 0.75rem; flex-wrap: wrap; }
    `,
  ];
  @state() private roster?: Roster;
  @state() private draft?: Draft;
  @state() private error: unknown;
  private readonly saving = new ActionController(this);
  private orgId = '';
  private suggestedTitle = '';
  private inviteesTouched = false;

  override updated(changed: Map<string, unknown>) {
    if (changed.has('params')) void this.load();
  }

  private get editing() {
    return !!this.params.id;
  }

  private async load() {
    try {
      const meeting = this.editing
        ? await api.get<MeetingDetail>(`/api/meetings/${this.params.id}`)
        : undefined;
      this.orgId = meeting?.organizationId ?? this.params.orgId!;
      const roster = await api.get<Roster>(`/api/organizations/${this.orgId}/meeting-roster`);
      this.roster = roster;
      this.inviteesTouched = !!meeting;
      this.draft = meeting ? this.draftOf(meeting) : this.newDraft(roster);
      this.error = undefined;
    } catch (err) {
      this.error = err;
    }
  }

  private newDraft(roster: Roster): Draft {
    const type = roster.allowedTypes.includes('orgLifeMeeting') ? 'orgLifeMeeting' : roster.allowedTypes[0]!;
    const secretary = roster.members.find((m) => m.committeeRole === 'secretary');
    const organizer = roster.members.find((m) => m.committeeRole === 'organization');
    const draft: Draft = {
      type,
      title: '',
      sessionNo: '',
      theme: '',
      startsAt: '',
      endsAt: '',
      location: '',
      mode: 'inPerson',
      hostMemberId: secretary?.id ?? '',
      recorderMemberId: organizer?.id ?? '',
      agenda: [],
      invitees: new Set(defaultInviteeIds(type, roster.members)),
      observers: [],
      includesAppraisal: false,
      preparation: { studyHeld: false, talksHeld: false, opinionSolicitationHeld: false, notes: '' },
    };
    this.suggestTitle(draft);
    return draft;
  }

  private draftOf(m: MeetingDetail): Draft {
    return {
      type: m.type,
      title: m.title,
      sessionNo: m.sessionNo ? String(m.sessionNo) : '',
      theme: m.theme,
      startsAt: toLocalInput(m.startsAt),
      endsAt: toLocalInput(m.endsAt),
      location: m.location,
      mode: m.mode,
      hostMemberId: m.host?.memberId ?? '',
      recorderMemberId: m.recorder?.memberId ?? '',
      agenda: m.agenda.map((a) => ({ title: a.title, notes: a.notes ?? '' })),
      invitees: new Set(m.invitees.map((i) => i.memberId)),
      observers: m.observers.map((o) => ({
        name: o.name,
        affiliation: o.affiliation,
        memberId: o.memberId ?? '',
      })),
      includesAppraisal: m.includesAppraisal,
      preparation: {
        studyHeld: !!m.preparation.studyHeld,
        talksHeld: !!m.preparation.talksHeld,
        opinionSolicitationHeld: !!m.preparation.opinionSolicitationHeld,
        notes: m.preparation.notes ?? '',
      },
    };
  }

  /** Proposes "2026年组织生活会" while the title is empty or still the previous proposal. */
  private suggestTitle(draft: Draft) {
    if (draft.title && draft.title !== this.suggestedTitle) return;
    const year = (draft.startsAt ? new Date(draft.startsAt) : new Date()).getFullYear();
    this.suggestedTitle = t('meeting.titleSuggestion', { year, type: t(`meetingType.${draft.type}`) });
    draft.title = this.suggestedTitle;
  }

  private change(mutate: (draft: Draft) => void) {
    const draft = { ...this.draft! };
    mutate(draft);
    this.draft = draft;
  }

  private setType(type: MeetingType) {
    this.change((d) => {
      d.type = type;
      if (!this.inviteesTouched) d.invitees = new Set(defaultInviteeIds(type, this.roster!.members));
      if (type === 'memberAppraisal') d.includesAppraisal = true;
      this.suggestTitle(d);
    });
  }

  override render() {
    if (this.error) return errorBanner(this.error);
    const d = this.draft;
    const roster = this.roster;
    if (!d || !roster) return html`<p class="muted">${t('common.loading')}</p>`;
    const e = this.saving.error;
    const input = (key: 'title' | 'theme' | 'location' | 'sessionNo') => (ev: Event) =>
      this.change((dr) => {
        dr[key] = (ev.target as HTMLInputElement).value;
      });
    const memberOptions = (selected: string) => html`
      <option value="" ?selected=${!selected}>${t('common.none')}</option>
      ${roster.members.map((m) => html`<option value=${m.id} ?selected=${selected === m.id}>${withNote(m.name, m.committeeRole && t(`committeeRole.${m.committeeRole}`))}</option>`)}
    `;
    return html`
      <nav class="crumbs small"><a href="/orgs/${this.orgId}/meetings">${t('nav.meetings')}</a></nav>
      <h1>${t(this.editing ? 'meeting.edit' : 'meeting.schedule')}</h1>
      ${errorBanner(e)}
      <form @submit=${this.submit} novalidate>
        <fieldset>
          <legend>${t('meeting.basics')}</legend>
          ${field(
            'type',
            t('meeting.type'),
            html`<select id="type" aria-invalid=${isInvalid(e, 'type')} @change=${(ev: Event) => this.setType((ev.target as HTMLSelectElement).value as MeetingType)}>
              ${roster.allowedTypes.map((type) => html`<option value=${type} ?selected=${d.type === type}>${t(`meetingType.${type}`)}</option>`)}
            </select>`,
            { error: e },
          )}
          <div class="two">
            ${field('title', t('meeting.title'), html`<input id="title" .value=${d.title} maxlength="200" aria-invalid=${isInvalid(e, 'title')} @input=${input('title')} />`, { error: e })}
            ${field('sessionNo', t('meeting.sessionNo'), html`<input id="sessionNo" type="number" min="1" inputmode="numeric" .value=${d.sessionNo} aria-invalid=${isInvalid(e, 'sessionNo')} @input=${input('sessionNo')} />`, { error: e, hint: t('common.optional') })}
          </div>
          ${field('theme', t('meeting.theme'), html`<input id="theme" .value=${d.theme} maxlength="500" @input=${input('theme')} />`, { error: e, hint: t('common.optional') })}
          <div class="two">
            ${field(
              'startsAt',
              t('meeting.startsAt'),
              html`<input id="startsAt" type="datetime-local" .value=${d.startsAt} aria-invalid=${isInvalid(e, 'startsAt')}
                @change=${(ev: Event) =>
                  this.change((dr) => {
                    dr.startsAt = (ev.target as HTMLInputElement).value;
                    this.suggestTitle(dr);
                  })} />`,
              { error: e },
            )}
            ${field(
              'endsAt',
              t('meeting.endsAt'),
              html`<input id="endsAt" type="datetime-local" .value=${d.endsAt} aria-invalid=${isInvalid(e, 'endsAt')}
                @change=${(ev: Event) => this.change((dr) => (dr.endsAt = (ev.target as HTMLInputElement).value))} />`,
              { error: e },
            )}
          </div>
          <div class="two">
            ${field('location', t('meeting.location'), html`<input id="location" .value=${d.location} maxlength="200" @input=${input('location')} />`, { error: e })}
            ${field(
              'mode',
              t('meeting.mode'),
              html`<select id="mode" @change=${(ev: Event) => this.change((dr) => (dr.mode = (ev.target as HTMLSelectElement).value as MeetingMode))}>
                ${meetingModes.map((m) => html`<option value=${m} ?selected=${d.mode === m}>${t(`meetingMode.${m}`)}</option>`)}
              </select>`,
            )}
          </div>
          <div class="two">
            ${field(
              'hostMemberId',
              t('meeting.host'),
              html`<select id="hostMemberId" aria-invalid=${isInvalid(e, 'hostMemberId')} @change=${(ev: Event) => this.change((dr) => (dr.hostMemberId = (ev.target as HTMLSelectElement).value))}>${memberOptions(d.hostMemberId)}</select>`,
              { error: e },
            )}
            ${field(
              'recorderMemberId',
              t('meeting.recorder'),
              html`<select id="recorderMemberId" aria-invalid=${isInvalid(e, 'recorderMemberId')} @change=${(ev: Event) => this.change((dr) => (dr.recorderMemberId = (ev.target as HTMLSelectElement).value))}>${memberOptions(d.recorderMemberId)}</select>`,
              { error: e },
            )}
          </div>
          <label class="check">
            <input type="checkbox" .checked=${d.includesAppraisal} ?disabled=${d.type === 'memberAppraisal'}
              @change=${(ev: Event) => this.change((dr) => (dr.includesAppraisal = (ev.target as HTMLInputElement).checked))} />
            ${t('meeting.includesAppraisal')}
          </label>
        </fieldset>
        ${this.renderAgenda(d, e)} ${this.renderInvitees(d, roster, e)} ${this.renderObservers(d, roster, e)}
        ${typesWithPreparation.includes(d.type) ? this.renderPreparation(d) : nothing}
        <div class="submit">
          <button class="primary" type="submit" ?disabled=${this.saving.busy}>${t(this.editing ? 'common.save' : 'meeting.scheduleSubmit')}</button>
          <a class="button" href=${this.editing ? `/meetings/${this.params.id}` : `/orgs/${this.orgId}/meetings`}>${t('common.cancel')}</a>
        </div>
      </form>
    `;
  }

  private renderAgenda(d: Draft, e: unknown) {
    return html`<fieldset>
      <legend>${t('meeting.agenda')}</legend>
      ${d.agenda.map(
        (item, i) => html`<div class="item">
          ${field(
            `agenda-${i}`,
            t('meeting.agendaItem', { n: i + 1 }),
            html`<input id="agenda-${i}" .value=${item.title} maxlength="300" aria-invalid=${isInvalid(e, `agenda.${i}.title`)}
              @input=${(ev: Event) => this.change((dr) => (dr.agenda = dr.agenda.map((a, j) => (j === i ? { ...a, title: (ev.target as HTMLInputElement).value } : a))))} />`,
            { error: e, name: `agenda.${i}.title` },
          )}
          <button type="button" class="link" @click=${() => this.change((dr) => (dr.agenda = dr.agenda.filter((_, j) => j !== i)))}>${t('common.delete')}</button>
        </div>`,
      )}
      <p><button type="button" @click=${() => this.change((dr) => (dr.agenda = [...dr.agenda, { title: '', notes: '' }]))}>${t('meeting.addAgendaItem')}</button></p>
    </fieldset>`;
  }

  private renderInvitees(d: Draft, roster: Roster, e: unknown) {
    const setInvitees = (ids: Iterable<string>) => {
      this.inviteesTouched = true;
      this.change((dr) => (dr.invitees = new Set(ids)));
    };
    const toggle = (id: string, on: boolean) => {
      const next = new Set(d.invitees);
      if (on) next.add(id);
      else next.delete(id);
      setInvitees(next);
    };
    const message = fieldError(e, 'inviteeMemberIds');
    return html`<fieldset>
      <legend>${t('meeting.invitees')} <span class="muted small">${t('meeting.selectedCount', { n: d.invitees.size, total: roster.members.length })}</span></legend>
      <div class="row small">
        <button type="button" @click=${() => setInvitees(roster.members.map((m) => m.id))}>${t('meeting.selectAll')}</button>
        <button type="button" @click=${() => setInvitees(defaultInviteeIds(d.type, roster.members))}>${t('meeting.defaultInvitees')}</button>
      </div>
      ${message ? html`<div class="error" role="alert">${message}</div>` : nothing}
      <div class="invitees" role="group" aria-label=${t('meeting.invitees')}>
        ${roster.members.map(
          (m) => html`<label class="check">
            <input type="checkbox" .checked=${d.invitees.has(m.id)} @change=${(ev: Event) => toggle(m.id, (ev.target as HTMLInputElement).checked)} />
            ${m.name}
            ${m.committeeRole ? html`<span class="badge">${t(`committeeRole.${m.committeeRole}`)}</span>` : nothing}
            ${m.status === 'probationaryMember' ? html`<span class="badge">${t('memberStatus.probationaryMember')}</span>` : nothing}
          </label>`,
        )}
      </div>
    </fieldset>`;
  }

  private renderObservers(d: Draft, roster: Roster, e: unknown) {
    const candidates = [...roster.observerCandidates, ...roster.members.filter((m) => !d.invitees.has(m.id))];
    const update = (i: number, patch: Partial<Draft['observers'][number]>) =>
      this.change((dr) => (dr.observers = dr.observers.map((o, j) => (j === i ? { ...o, ...patch } : o))));
    return html`<fieldset>
      <legend>${t('meeting.observers')}</legend>
      <p class="muted small">${t('meeting.observersHint')}</p>
      ${d.observers.map(
        (o, i) => html`<div class="item">
          ${
            candidates.length
              ? field(
                  `observer-member-${i}`,
                  t('meeting.observerMember'),
                  html`<select id="observer-member-${i}" aria-invalid=${isInvalid(e, `observers.${i}.memberId`)}
                    @change=${(ev: Event) => {
                      const id = (ev.target as HTMLSelectElement).value;
                      const member = candidates.find((m) => m.id === id);
                      update(i, { memberId: id, ...(member ? { name: member.name } : {}) });
                    }}>
                    <option value="" ?selected=${!o.memberId}>${t('meeting.observerNotMember')}</option>
                    ${candidates.map((m) => html`<option value=${m.id} ?selected=${o.memberId === m.id}>${m.name}</option>`)}
                  </select>`,
                  { error: e, name: `observers.${i}.memberId`, hint: t('common.optional') },
                )
              : nothing
          }
          <div class="two">
            ${field(`observer-name-${i}`, t('meeting.observerName'), html`<input id="observer-name-${i}" .value=${o.name} maxlength="60" aria-invalid=${isInvalid(e, `observers.${i}.name`)} @input=${(ev: Event) => update(i, { name: (ev.target as HTMLInputElement).value })} />`, { error: e, name: `observers.${i}.name` })}
            ${field(`observer-affiliation-${i}`, t('meeting.observerAffiliation'), html`<input id="observer-affiliation-${i}" .value=${o.affiliation} maxlength="100" @input=${(ev: Event) => update(i, { affiliation: (ev.target as HTMLInputElement).value })} />`, { error: e, name: `observers.${i}.affiliation` })}
          </div>
          <button type="button" class="link" @click=${() => this.change((dr) => (dr.observers = dr.observers.filter((_, j) => j !== i)))}>${t('common.delete')}</button>
        </div>`,
      )}
      <p><button type="button" @click=${() => this.change((dr) => (dr.observers = [...dr.observers, { name: '', affiliation: '', memberId: '' }]))}>${t('meeting.addObserver')}</button></p>
    </fieldset>`;
  }

  private renderPreparation(d: Draft) {
    const setPreparation = (patch: Partial<Draft['preparation']>) =>
      this.change((dr) => (dr.preparation = { ...dr.preparation, ...patch }));
    return html`<fieldset>
      <legend>${t('meeting.preparation')}</legend>
      <div class="checks">
        ${preparationFlags.map(
          (flag) => html`<label class="check">
            <input type="checkbox" .checked=${d.preparation[flag]} @change=${(ev: Event) => setPreparation({ [flag]: (ev.target as HTMLInputElement).checked })} />
            ${t(`meeting.preparation.${flag}`)}
          </label>`,
        )}
      </div>
      ${field('preparationNotes', t('meeting.preparationNotes'), html`<textarea id="preparationNotes" .value=${d.preparation.notes} maxlength="2000" @input=${(ev: Event) => setPreparation({ notes: (ev.target as HTMLTextAreaElement).value })}></textarea>`, { hint: t('common.optional') })}
    </fieldset>`;
  }

  private body() {
    const d = this.draft!;
    const text = (v: string) => v.trim() || null;
    const startsAt = fromLocalInput(d.startsAt);
    return {
      type: d.type,
      title: d.title,
      sessionNo: d.sessionNo ? Number(d.sessionNo) : null,
      theme: text(d.theme),
      // Left out when empty, so the server reports it as required rather than malformed.
      ...(startsAt ? { startsAt } : {}),
      endsAt: fromLocalInput(d.endsAt),
      location: text(d.location),
      mode: d.mode,
      hostMemberId: d.hostMemberId || null,
      recorderMemberId: d.recorderMemberId || null,
      agenda: d.agenda.map((a) => ({ title: a.title, notes: text(a.notes) })),
      inviteeMemberIds: [...d.invitees],
      observers: d.observers.map((o) => ({
        name: o.name,
        affiliation: text(o.affiliation),
        memberId: o.memberId || null,
      })),
      includesAppraisal: d.includesAppraisal,
      ...(typesWithPreparation.includes(d.type)
        ? { preparation: { ...d.preparation, notes: text(d.preparation.notes) } }
        : {}),
    };
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const saved = await this.saving.run(async () => {
      const id = this.editing
        ? (await api.patch<MeetingDetail>(`/api/meetings/${this.params.id}`, this.body())).id
        : (await api.post<{ id: string }>(`/api/organizations/${this.orgId}/meetings`, this.body())).id;
      navigate(`/meetings/${id}`);
    });
    if (!saved) await revealFirstInvalid(this);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-meeting-form': MjMeetingForm;
  }
}
