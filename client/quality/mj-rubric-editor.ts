import { css, html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { issueSources, type MeetingType, meetingTypes } from '../../shared/domain/enums.ts';
import type {
  ComplianceFrequency,
  ComponentKey,
  PreparationStep,
  Rubric,
} from '../../shared/quality/rubric.ts';
import type { RubricPageView, RubricVersionView } from '../../shared/schemas/quality.ts';
import { ActionController } from '../core/action.ts';
import { api } from '../core/api.ts';
import { errorBanner, field, fieldError } from '../core/forms.ts';
import { formatDate, t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { baseStyles } from '../core/styles.ts';

type Draft = Omit<Rubric, 'version'>;
type Applies = 'always' | 'whenRecorded' | 'never';

// Exhaustive over their vocabularies (the compiler names a missing one), in the order shown.
const frequencies: Record<ComplianceFrequency, true> = {
  monthly: true,
  quarterly: true,
  yearly: true,
  none: true,
};
const steps: Record<PreparationStep, true> = { study: true, talks: true, opinionSolicitation: true };
const appliesOptions: Record<Applies, true> = { always: true, whenRecorded: true, never: true };

/** Shares are kept 0–1 in the rubric and shown as percentages, which is how committees speak of them. */
const percentFields = new Set([
  'attendanceFloor',
  'attendanceTarget',
  'minAnswerShare',
  'nearDuplicateSimilarity',
  'ballotParticipationTarget',
  'lateCredit',
  'needsAttentionBelow',
  'noTopGradesBelow',
]);
/** Component fields edited elsewhere in the form (weights, the applicability grid, the source list). */
const structuredFields = new Set(['weight', 'appliesTo', 'subWeights', 'countedSources']);

function valueAt(object: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((o, key) => (o as Record<string, unknown> | undefined)?.[key], object);
}

function setAt(object: unknown, path: string, value: unknown) {
  const keys = path.split('.');
  const last = keys.pop()!;
  (valueAt(object, keys.join('.')) as Record<string, unknown>)[last] = value;
}

const idOf = (path: string) => `r-${path.replace(/\./g, '-')}`;

/**
 * The Meeting Quality Index rubric of an organization: the version in force and every earlier one,
 * and — for the staff of a committee (基层党委/党总支) — the whole rubric as a form, published as a
 * new version. The server validates it (weights ≥ 0, at least one component, thresholds in range,
 * k ≥ 3 …) and answers with a code per field, shown beside the field. Branches see the rubric they
 * follow, read only.
 */
@customElement('mj-rubric-editor')
export class MjRubricEditor extends MjPage {
  static override styles = [
    baseStyles,
    css`
      :host { max-width: 1100px; margin: 0 auto; }
      nav.crumbs { font-size: 0.9rem; margin-bottom: 0.5rem; }
      fieldset { border: 1px solid var(--mj-line); border-radius: var(--mj-radius); padding: 0.75rem 1rem 0.25rem; margin: 0 0 1rem; background: var(--mj-card); min-width: 0; }
      legend { font-weight: 700; font-size: 1.1rem; padding: 0 0.4rem; }
      .components { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: 1rem; }
      .components fieldset { margin: 0; }
      .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: 0 1rem; }
      .checks { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; margin-bottom: 1rem; }
      .checks label { min-height: 44px; }
      table.applies select { min-width: 7rem; }
      table.applies td, table.applies th { vertical-align: middle; }
      .group-error { color: var(--mj-danger); font-size: 0.875rem; margin: 0 0 0.75rem; }
      .publish { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-end; }
      .publish .field { flex: 1 1 20rem; margin-bottom: 0; }
      .publish button { min-height: 52px; }
      tr.current { background: #fff8c5; }
      form { margin-bottom: 1.5rem; }
    `,
  ];

  @state() private page?: RubricPageView;
  @state() private viewing?: RubricVersionView;
  @state() private draft?: Draft;
  @state() private error: unknown;
  @state() private notice = '';
  private readonly publishing = new ActionController(this);

  override updated(changed: Map<string, unknown>) {
    if (changed.has('params')) void this.load();
  }

  private async load() {
    try {
      this.page = await api.get<RubricPageView>(`/api/organizations/${this.params.orgId}/quality-rubric`);
      this.show(this.page.inForce);
      this.error = undefined;
    } catch (err) {
      this.error = err;
    }
  }

  private show(version: RubricVersionView) {
    this.viewing = version;
    const { version: _number, ...rubric } = structuredClone(version.rubric);
    this.draft = rubric;
    this.publishing.setError(undefined);
  }

  private get editable(): boolean {
    return !!this.page?.canPublish && this.viewing?.id === this.page.inForce.id;
  }

  override render() {
    if (this.error) return errorBanner(this.error);
    const page = this.page;
    const viewing = this.viewing;
    if (!page || !viewing || !this.draft) return html`<p class="muted">${t('common.loading')}</p>`;
    const inForce = page.inForce;
    return html`
      <nav class="crumbs" aria-label="breadcrumb"><a href="/orgs/${page.organizationId}">${page.organizationName}</a></nav>
      <h1>${t('quality.rubric.title')}</h1>
      <p>
        <strong>${t('quality.rubric.inForce', { version: inForce.version })}</strong> ·
        ${inForce.organizationName ? t('quality.rubric.publishedBy', { organization: inForce.organizationName }) : t('quality.rubric.builtIn')}
        · ${formatDate(inForce.createdAt)}
      </p>
      ${inForce.note ? html`<p class="muted">${inForce.note}</p>` : nothing}
      <p class="muted">${page.canPublish ? t('quality.rubric.editIntro') : t('quality.rubric.readOnly')}</p>
      ${this.notice ? html`<div class="alert ok" role="status">${this.notice}</div>` : nothing}
      ${
        viewing.id !== inForce.id
          ? html`<div class="alert warn" role="status">${t('quality.rubric.viewing', { version: viewing.version })}
              <button type="button" class="link" @click=${() => this.show(inForce)}>${t('quality.rubric.backToCurrent')}</button></div>`
          : nothing
      }
      ${errorBanner(this.publishing.error)}
      <form @submit=${this.publish} novalidate>
        ${this.renderComponents()} ${this.renderApplies()} ${this.renderGates()} ${this.renderRest()}
        ${this.editable ? this.renderPublish() : nothing}
      </form>
      ${this.renderVersions(page)}
    `;
  }

  /** The server's message for a field (or a group of fields) of the rubric. */
  private errorAt(path: string): string | undefined {
    return fieldError(this.publishing.error, path ? `rubric.${path}` : 'rubric');
  }

  private groupError(path: string) {
    const message = this.errorAt(path);
    return message ? html`<p class="group-error" role="alert">${message}</p>` : nothing;
  }

  private numberField(path: string, label: string, options: { hint?: string; integer?: boolean } = {}) {
    const key = path.split('.').at(-1)!;
    const percent = percentFields.has(key);
    const value = valueAt(this.draft, path) as number | null;
    const shown = value === null ? '' : String(percent ? Math.round(value * 100000) / 1000 : value);
    const input = (event: Event) => {
      const raw = (event.target as HTMLInputElement).value.trim();
      const n = raw === '' ? null : Number(raw);
      setAt(this.draft, path, n === null || !percent ? n : n / 100);
    };
    return field(
      idOf(path),
      label,
      html`<input id=${idOf(path)} type="number" inputmode="decimal" step=${options.integer ? '1' : 'any'}
        .value=${shown} ?disabled=${!this.editable} aria-invalid=${this.errorAt(path) ? 'true' : 'false'} @input=${input} />`,
      { error: this.publishing.error, name: `rubric.${path}`, hint: options.hint },
    );
  }

  /** Checkboxes for a list-valued setting; the list keeps the options' order. */
  private checklist<T extends string>(
    path: string,
    label: string,
    options: readonly T[],
    labelOf: (o: T) => string,
  ) {
    const chosen = valueAt(this.draft, path) as T[];
    const toggle = (option: T, on: boolean) =>
      setAt(
        this.draft,
        path,
        options.filter((o) => (o === option ? on : chosen.includes(o))),
      );
    return html`<div role="group" aria-labelledby=${`${idOf(path)}-label`}>
      <label id=${`${idOf(path)}-label`}>${label}</label>
      <div class="checks">${options.map(
        (
          o,
        ) => html`<label class="check"><input type="checkbox" .checked=${chosen.includes(o)} ?disabled=${!this.editable}
          @change=${(e: Event) => {
            toggle(o, (e.target as HTMLInputElement).checked);
            this.requestUpdate();
          }} /> ${labelOf(o)}</label>`,
      )}</div>
      ${this.groupError(path)}
    </div>`;
  }

  private select<T extends string>(
    path: string,
    label: string,
    options: readonly T[],
    labelOf: (o: T) => string,
  ) {
    return field(
      idOf(path),
      label,
      html`<select id=${idOf(path)} ?disabled=${!this.editable} @change=${(e: Event) => setAt(this.draft, path, (e.target as HTMLSelectElement).value)}>
        ${options.map((o) => html`<option value=${o} ?selected=${valueAt(this.draft, path) === o}>${labelOf(o)}</option>`)}
      </select>`,
      { error: this.publishing.error, name: `rubric.${path}` },
    );
  }

  private renderComponents() {
    const components = this.draft!.components;
    return html`<fieldset>
      <legend>${t('quality.rubric.components')}</legend>
      ${this.groupError('components')}
      <div class="components">
        ${(Object.keys(components) as ComponentKey[]).map((key) => {
          const component = components[key] as unknown as Record<string, unknown>;
          const base = `components.${key}`;
          return html`<fieldset>
            <legend>${t(`quality.component.${key}`)}</legend>
            ${this.numberField(`${base}.weight`, t('quality.rubric.weight'))}
            <p class="small muted">${t('quality.rubric.subWeights')}</p>
            ${this.groupError(`${base}.subWeights`)}
            ${Object.keys(component.subWeights as object).map((sub) =>
              this.numberField(`${base}.subWeights.${sub}`, t(`quality.metric.${sub}`)),
            )}
            ${Object.keys(component)
              .filter((f) => !structuredFields.has(f))
              .map((f) =>
                this.numberField(`${base}.${f}`, t(`quality.rubric.${f}`), {
                  integer: !percentFields.has(f),
                }),
              )}
            ${
              key === 'criticism'
                ? this.checklist(
                    `${base}.countedSources`,
                    t('quality.rubric.countedSources'),
                    issueSources,
                    (s) => t(`issueSource.${s}`),
                  )
                : nothing
            }
          </fieldset>`;
        })}
      </div>
    </fieldset>`;
  }

  /** Which meetings each component scores: a grid of meeting types by components. */
  private renderApplies() {
    const components = this.draft!.components;
    const keys = Object.keys(components) as ComponentKey[];
    const appliesOf = (key: ComponentKey, type: MeetingType): Applies => {
      const { always, whenRecorded } = components[key].appliesTo;
      return always.includes(type) ? 'always' : whenRecorded.includes(type) ? 'whenRecorded' : 'never';
    };
    const change = (key: ComponentKey, type: MeetingType, to: Applies) => {
      const next = new Map(meetingTypes.map((m) => [m, m === type ? to : appliesOf(key, m)]));
      components[key].appliesTo = {
        always: meetingTypes.filter((m) => next.get(m) === 'always'),
        whenRecorded: meetingTypes.filter((m) => next.get(m) === 'whenRecorded'),
      };
    };
    return html`<fieldset>
      <legend>${t('quality.rubric.appliesTo')}</legend>
      <div class="table-wrap"><table class="applies">
        <thead><tr><th></th>${keys.map((k) => html`<th scope="col">${t(`quality.component.${k}`)}</th>`)}</tr></thead>
        <tbody>${meetingTypes.map(
          (type) => html`<tr>
            <th scope="row">${t(`meetingType.${type}`)}${this.groupError(`components.appliesTo.${type}`)}</th>
            ${keys.map(
              (
                key,
              ) => html`<td><select aria-label="${t(`meetingType.${type}`)} · ${t(`quality.component.${key}`)}" ?disabled=${!this.editable}
                @change=${(e: Event) => change(key, type, (e.target as HTMLSelectElement).value as Applies)}>
                ${(Object.keys(appliesOptions) as Applies[]).map(
                  (o) =>
                    html`<option value=${o} ?selected=${appliesOf(key, type) === o}>${t(`quality.rubric.applies.${o}`)}</option>`,
                )}
              </select></td>`,
            )}
          </tr>`,
        )}</tbody>
      </table></div>
    </fieldset>`;
  }

  private renderGates() {
    const typeLabel = (m: MeetingType) => t(`meetingType.${m}`);
    return html`<fieldset>
      <legend>${t('quality.rubric.gates')}</legend>
      ${this.checklist('gates.quorum.meetingTypes', t('quality.rubric.quorumTypes'), meetingTypes, typeLabel)}
      <div class="grid">${this.numberField('gates.quorum.cap', t('quality.rubric.quorumCap'), { integer: true })}</div>
      ${this.checklist('gates.preparation.meetingTypes', t('quality.rubric.preparationTypes'), meetingTypes, typeLabel)}
      ${this.checklist('gates.preparation.requiredSteps', t('quality.rubric.preparationSteps'), Object.keys(steps) as PreparationStep[], (s) => t(`quality.rubric.step.${s}`))}
      <div class="grid">
        ${this.numberField('gates.preparation.cap', t('quality.rubric.preparationCap'), { integer: true })}
        ${this.numberField('gates.satisfaction.needsAttentionBelow', t('quality.rubric.needsAttentionBelow'))}
        ${this.numberField('gates.satisfaction.noTopGradesBelow', t('quality.rubric.noTopGradesBelow'))}
      </div>
    </fieldset>`;
  }

  private renderRest(): TemplateResult {
    const d = this.draft!;
    const frequencyOptions = Object.keys(frequencies) as ComplianceFrequency[];
    return html`
      <fieldset>
        <legend>${t('quality.rubric.grades')}</legend>
        <div class="grid">${Object.keys(d.grades).map((g) =>
          this.numberField(`grades.${g}`, t('quality.rubric.gradeFrom', { grade: t(`quality.grade.${g}`) }), {
            integer: true,
          }),
        )}</div>
      </fieldset>
      <fieldset>
        <legend>${t('quality.rubric.suppression')}</legend>
        <div class="grid">
          ${this.numberField('suppression.branchK', t('quality.rubric.branchK'), { integer: true, hint: t('quality.rubric.kHint') })}
          ${this.numberField('suppression.committeeK', t('quality.rubric.committeeK'), { integer: true, hint: t('quality.rubric.kHint') })}
        </div>
      </fieldset>
      <fieldset>
        <legend>${t('quality.rubric.branchIndex')}</legend>
        <div class="grid">
          ${this.numberField('branchIndex.complianceWeight', t('quality.rubric.complianceWeight'))}
          ${this.numberField('branchIndex.mqiWeight', t('quality.rubric.mqiWeight'))}
        </div>
        <p class="small muted">${t('quality.rubric.meetingTypeWeights')}</p>
        ${this.groupError('branchIndex.meetingTypeWeights')}
        <div class="grid">${meetingTypes.map((m) => this.numberField(`branchIndex.meetingTypeWeights.${m}`, t(`meetingType.${m}`)))}</div>
      </fieldset>
      <fieldset>
        <legend>${t('quality.rubric.compliance')}</legend>
        <div class="grid">${meetingTypes.map((m) =>
          this.select(`compliance.frequencies.${m}`, t(`meetingType.${m}`), frequencyOptions, (f) =>
            t(`quality.frequency.${f}`),
          ),
        )}</div>
      </fieldset>
      <fieldset>
        <legend>${t('quality.rubric.appraisalRules')}</legend>
        <label class="check"><input type="checkbox" .checked=${d.appraisalRules.unqualifiedReferral} ?disabled=${!this.editable}
          @change=${(e: Event) => {
            d.appraisalRules.unqualifiedReferral = (e.target as HTMLInputElement).checked;
          }} /> ${t('quality.rubric.unqualifiedReferral')}</label>
        <p></p>
      </fieldset>
    `;
  }

  private renderPublish() {
    return html`<div class="publish">
      ${field(
        'rubric-note',
        t('quality.rubric.note'),
        html`<input id="rubric-note" name="note" maxlength="500" />`,
        {
          error: this.publishing.error,
          name: 'note',
          hint: t('common.optional'),
        },
      )}
      <button class="primary" type="submit" ?disabled=${this.publishing.busy}>${t('quality.rubric.publish')}</button>
    </div>`;
  }

  private renderVersions(page: RubricPageView) {
    return html`<div class="card">
      <h2>${t('quality.rubric.versions')}</h2>
      <div class="table-wrap"><table>
        <thead><tr>
          <th>${t('quality.rubric.version')}</th><th>${t('quality.rubric.organization')}</th>
          <th class="hide-phone">${t('quality.rubric.publishedByName')}</th><th>${t('quality.rubric.publishedAt')}</th>
          <th>${t('common.note')}</th><th></th>
        </tr></thead>
        <tbody>${page.versions.map(
          (v) => html`<tr class=${v.id === page.inForce.id ? 'current' : ''}>
            <td>${v.version}</td>
            <td>${v.organizationName ?? t('quality.page.builtInRubric')}</td>
            <td class="hide-phone">${v.createdByName ?? '—'}</td>
            <td>${formatDate(v.createdAt)}</td>
            <td>${v.note ?? ''}</td>
            <td>${v.id === this.viewing?.id ? nothing : html`<button type="button" class="link" @click=${() => this.show(v)}>${t('quality.rubric.view')}</button>`}</td>
          </tr>`,
        )}</tbody>
      </table></div>
    </div>`;
  }

  private async publish(event: SubmitEvent) {
    event.preventDefault();
    const page = this.page!;
    const noteInput = this.renderRoot.querySelector<HTMLInputElement>('#rubric-note');
    const note = noteInput?.value.trim();
    this.notice = '';
    let published: { version: number; requeued: number } | undefined;
    const ok = await this.publishing.run(async () => {
      published = await api.post(`/api/organizations/${page.organizationId}/quality-rubrics`, {
        baseRubricId: page.inForce.id,
        rubric: this.draft,
        ...(note ? { note } : {}),
      });
    });
    if (!ok || !published) {
      // The form is long: take the person to the first field the server refused.
      await this.updateComplete;
      const invalid = this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"], .group-error');
      invalid?.scrollIntoView({ block: 'center' });
      if (invalid instanceof HTMLInputElement) invalid.focus();
      return;
    }
    if (noteInput) noteInput.value = '';
    await this.load();
    this.notice = t('quality.rubric.published', { version: published.version, count: published.requeued });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-rubric-editor': MjRubricEditor;
  }
}
