import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { BranchDashboard, MeetingFigure } from '../../shared/schemas/dashboards.ts';
import { api, query } from '../core/api.ts';
import { errorBanner } from '../core/forms.ts';
import { formatDate, locale, t } from '../core/i18n.ts';
import { MjPage } from '../core/page.ts';
import { navigate } from '../core/router.ts';
import { baseStyles } from '../core/styles.ts';
import { tableWrap } from '../core/table-wrap.ts';
import { NarrowScreenController } from '../rectification/view.ts';
import { componentsOption, dimensionsOption, indexTrendOption, ratesOption } from './chart-options.ts';
import {
  answersText,
  dashboardStyles,
  explained,
  gradeBadge,
  indexText,
  labelValue,
  listText,
  meanText,
  percentText,
  periodLabel,
  scoreText,
  trendText,
} from './format.ts';
import './mj-chart.ts';
import { periodPicker } from './period-picker.ts';

interface OrgHeader {
  id: string;
  name: string;
  ancestry: Array<{ id: string; name: string }>;
}

type Slot = BranchDashboard['compliance']['calendar']['slots'][number];

/**
 * A branch's quality page for a quarter or a year: the branch index with its trend and why, each
 * meeting's MQI with its components, satisfaction by dimension, attendance, the compliance
 * calendar, rectification on time and the meetings that carry a flag. The branch committee reads
 * it with the branch's k; a committee above reads the same page with its own k, and its look is
 * recorded. Exports (ledger, figures) come from the page that shows the same data.
 */
@customElement('mj-branch-dashboard')
export class MjBranchDashboard extends MjPage {
  static override styles = [
    baseStyles,
    dashboardStyles,
    css`
      .calendar { display: grid; gap: 0.6rem; }
      .calendar .row { display: grid; grid-template-columns: minmax(7rem, 11rem) 1fr; gap: 0.5rem; align-items: start; }
      .calendar .type { font-weight: 600; font-size: 0.95rem; }
      .calendar .type small { display: block; font-weight: 400; color: var(--mj-muted); }
      .chips { display: flex; flex-wrap: wrap; gap: 0.25rem; }
      .chip { min-width: 2.6rem; padding: 0.15rem 0.35rem; border-radius: 6px; font-size: 0.8rem; text-align: center; border: 1px solid transparent; }
      .chip.held { background: #dafbe1; color: #116329; }
      .chip.missed { background: #ffebe9; color: #82071e; border-color: #ff8182; }
      .chip.pending { background: #f6f8fa; color: var(--mj-muted); border-color: var(--mj-line); border-style: dashed; }
      .legend-row { display: flex; flex-wrap: wrap; gap: 0.75rem; font-size: 0.85rem; color: var(--mj-muted); margin-bottom: 0.75rem; }
      ul.flagged { list-style: none; padding: 0; margin: 0; }
      ul.flagged li { padding: 0.5rem 0; border-bottom: 1px solid var(--mj-line); display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
      .meeting-cards { list-style: none; padding: 0; margin: 0; }
      .meeting-cards li { border-bottom: 1px solid var(--mj-line); padding: 0.6rem 0; }
      .meeting-cards .top { display: flex; justify-content: space-between; gap: 0.5rem; align-items: baseline; }
      .meeting-cards .title { font-weight: 600; overflow-wrap: anywhere; }
      .score { font-size: 1.3rem; font-weight: 700; }
      .warnings { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; }
      .warnings strong { font-size: 1.4rem; }
      mj-chart.tall { --mj-chart-height: 340px; }
      table.meetings td { vertical-align: middle; }
      @media (max-width: 600px) {
        .calendar .row { grid-template-columns: 1fr; }
        mj-chart { --mj-chart-height: 260px; }
        mj-chart.tall { --mj-chart-height: 300px; }
      }
    `,
  ];

  private readonly screen = new NarrowScreenController(this);
  @state() private org?: OrgHeader;
  @state() private data?: BranchDashboard;
  @state() private error: unknown;
  private loaded = '';

  override updated() {
    const key = `${this.params.orgId}|${this.query.get('period') ?? ''}`;
    if (key !== this.loaded) {
      this.loaded = key;
      void this.load();
    }
  }

  private async load() {
    try {
      const [org, data] = await Promise.all([
        api.get<OrgHeader>(`/api/organizations/${this.params.orgId}`),
        api.get<BranchDashboard>(
          `/api/organizations/${this.params.orgId}/dashboard${query({ period: this.query.get('period') })}`,
        ),
      ]);
      this.org = org;
      this.data = data;
      this.error = undefined;
    } catch (err) {
      this.error = err;
    }
  }

  override render() {
    if (this.error) return errorBanner(this.error);
    const d = this.data;
    const org = this.org;
    if (!d || !org) return html`<p class="muted">${t('common.loading')}</p>`;
    const periodKey = d.period.key;
    const exportQuery = query({ period: periodKey });
    return html`
      <nav class="crumbs" aria-label=${t('dashboard.breadcrumb')}>
        ${org.ancestry.slice(0, -1).map((a, i) => html`${i > 0 ? ' › ' : ''}<a href="/orgs/${a.id}">${a.name}</a>`)}
        › <a href="/orgs/${org.id}">${org.name}</a>
      </nav>
      <div class="heading">
        <h1>${t('dashboard.branch.title', { name: d.organization.name })}</h1>
        <div class="tools">
          ${periodPicker(periodKey, (key) => navigate(`/orgs/${org.id}/dashboard?period=${key}`))}
          <a class="button" href="/api/organizations/${org.id}/exports/ledger${exportQuery}" download>${t('dashboard.export.ledger')}</a>
          <a class="button" href="/api/organizations/${org.id}/exports/aggregates${exportQuery}" download>${t('dashboard.export.csv')}</a>
        </div>
      </div>
      <p class="note">
        ${t('dashboard.note.period', { period: periodLabel(periodKey), start: formatDate(d.period.start), end: formatDate(d.period.end) })} ·
        ${t(d.viewer.scope === 'branch' ? 'dashboard.note.branch' : 'dashboard.note.committee', { k: d.viewer.k })}
      </p>
      ${this.renderKpis(d)} ${this.renderFlagged(d)} ${this.renderWarnings(d, org.id)}
      <div class="grid-2">
        <section class="panel">
          <h2>${t('dashboard.branch.indexTrend')}</h2>
          <mj-chart .option=${indexTrendOption(d.series, this.screen.narrow)} label=${this.trendSummary(d)}></mj-chart>
        </section>
        <section class="panel">
          <h2>${t('dashboard.branch.rates')}</h2>
          <mj-chart .option=${ratesOption(d.series, this.screen.narrow)} label=${t('dashboard.branch.rates')}></mj-chart>
        </section>
      </div>
      <section class="panel">
        <h2>${t('dashboard.branch.meetings')}</h2>
        ${
          d.meetings.length === 0
            ? html`<p class="muted">${t('dashboard.branch.noMeetings')}</p>`
            : html`<mj-chart class="tall" .option=${componentsOption(d.meetings, this.screen.narrow)} label=${t('dashboard.branch.meetings')}></mj-chart>`
        }
      </section>
      <div class="grid-2">
        ${this.renderSatisfaction(d)} ${this.renderCalendar(d)}
      </div>
      ${this.renderMeetingList(d)}
    `;
  }

  private trendSummary(d: BranchDashboard) {
    return listText(d.series.map((p) => `${periodLabel(p.period.key)} ${indexText(p.index)}`));
  }

  private renderKpis(d: BranchDashboard) {
    return html`<div class="kpis">
      <div class="kpi">
        <div class="label">${t('dashboard.column.branchIndex')}</div>
        <div class="value">${explained(indexText(d.index.index), d.index.explanation)}</div>
        <div class="sub">${gradeBadge(d.index.grade)} ${trendText(d.index.trend)}</div>
      </div>
      <div class="kpi">
        <div class="label">${t('dashboard.kpi.compliance')}</div>
        <div class="value">${explained(percentText(d.compliance.share), d.compliance.explanation)}</div>
        <div class="sub muted">${t('dashboard.kpi.heldOfRequired', { held: d.compliance.held, required: d.compliance.required })}</div>
      </div>
      <div class="kpi">
        <div class="label">${t('dashboard.kpi.attendance')}</div>
        <div class="value">${explained(percentText(d.attendance.rate), d.attendance.explanation)}</div>
      </div>
      <div class="kpi">
        <div class="label">${t('dashboard.kpi.satisfaction')}</div>
        <div class="value">${explained(answersText(d.satisfaction.overallRate, percentText), d.satisfaction.explanation)}</div>
      </div>
      <div class="kpi">
        <div class="label">${t('dashboard.kpi.onTime')}</div>
        <div class="value">${explained(percentText(d.rectification.onTimeRate), d.rectification.explanation)}</div>
      </div>
    </div>`;
  }

  private renderFlagged(d: BranchDashboard) {
    if (d.flagged.length === 0) return nothing;
    return html`<section class="panel" aria-labelledby="flagged-heading">
      <h2 id="flagged-heading">${t('dashboard.branch.flagged')}</h2>
      <ul class="flagged">
        ${d.flagged.map(
          (m) => html`<li>
            ${m.flags.map((f) => html`<span class="badge ${f === 'provisional' ? 'warn' : 'danger'}">${t(`quality.flag.${f}`)}</span>`)}
            <a href="/meetings/${m.id}">${m.title}</a>
            <span class="muted small">${formatDate(m.date)} · ${t(`meetingType.${m.type}`)}</span>
          </li>`,
        )}
      </ul>
    </section>`;
  }

  private renderWarnings(d: BranchDashboard, orgId: string) {
    const w = d.attendanceWarnings;
    if (!w || w.threeMonths + w.fiveMonths === 0) return nothing;
    return html`<div class="alert warn warnings" role="status">
      <span>${t('dashboard.warnings.threeMonths')} <strong>${w.threeMonths}</strong></span>
      <span>${t('dashboard.warnings.fiveMonths')} <strong>${w.fiveMonths}</strong></span>
      <a href="/orgs/${orgId}/members">${t('dashboard.warnings.seeRoster')}</a>
    </div>`;
  }

  private renderSatisfaction(d: BranchDashboard) {
    const s = d.satisfaction;
    const visible = s.dimensions.some((x) => !x.mean.suppressed);
    return html`<section class="panel">
      <h2>${t('dashboard.satisfaction.byDimension')}</h2>
      <p class="small">${explained(t('dashboard.satisfaction.basis', { answers: s.answers, meetings: s.meetings }), s.explanation)}</p>
      ${
        visible
          ? html`<mj-chart .option=${dimensionsOption(s.dimensions)} label=${s.dimensions
              .map(
                (x) =>
                  `${t(`dashboard.dimension.${x.key}`)} ${x.mean.suppressed ? '' : meanText(x.mean.value)}`,
              )
              .join(t('dashboard.listSeparator'))}></mj-chart>`
          : nothing
      }
      <table>
        <caption class="visually-hidden">${t('dashboard.satisfaction.byDimension')}</caption>
        <tbody>
          ${s.dimensions.map(
            (x) =>
              html`<tr><th scope="row">${t(`dashboard.dimension.${x.key}`)}</th><td class="num">${answersText(x.mean, meanText)}</td></tr>`,
          )}
        </tbody>
      </table>
      ${s.dimensions.length === 0 ? html`<p class="muted">${t('dashboard.satisfaction.none')}</p>` : nothing}
    </section>`;
  }

  private renderCalendar(d: BranchDashboard) {
    const rows = new Map<string, Slot[]>();
    for (const slot of d.compliance.calendar.slots) {
      const key = `${slot.type}|${slot.partyGroup?.id ?? ''}`;
      rows.set(key, [...(rows.get(key) ?? []), slot]);
    }
    const month = new Intl.DateTimeFormat(locale(), { month: 'short', timeZone: 'UTC' });
    const slotLabel = (slot: Slot, count: number) => {
      if (count === 1) return t('dashboard.calendar.wholeYear');
      const m = Number(slot.start.slice(5, 7));
      return count === 4 ? `Q${Math.ceil(m / 3)}` : month.format(new Date(Date.UTC(2000, m - 1, 1)));
    };
    const mark = { held: '✓', missed: '✗', pending: '·' } as const;
    return html`<section class="panel">
      <h2>${t('dashboard.calendar.title', { year: d.compliance.calendar.period.key })}</h2>
      <div class="legend-row" aria-hidden="true">
        <span><span class="chip held">✓</span> ${t('quality.slot.held')}</span>
        <span><span class="chip missed">✗</span> ${t('quality.slot.missed')}</span>
        <span><span class="chip pending">·</span> ${t('quality.slot.pending')}</span>
      </div>
      ${rows.size === 0 ? html`<p class="muted">${t('dashboard.explain.noRecords')}</p>` : nothing}
      <div class="calendar">
        ${[...rows.values()].map((slots) => {
          const first = slots[0]!;
          const held = slots.filter((s) => s.state === 'held').length;
          const pending = slots.filter((s) => s.state === 'pending').length;
          return html`<div class="row">
            <div class="type">${t(`meetingType.${first.type}`)}${first.partyGroup ? html`<small>${first.partyGroup.name}</small>` : nothing}
              <small>${t('dashboard.calendar.held', { held, due: slots.length - pending })}${
                pending > 0 ? t('dashboard.calendar.pending', { pending }) : ''
              }</small></div>
            <div class="chips" role="list">
              ${slots.map((s) => {
                const label = slotLabel(s, slots.length);
                return html`<span role="listitem" class="chip ${s.state}" title=${labelValue(label, t(`quality.slot.${s.state}`))}
                  aria-label=${labelValue(label, t(`quality.slot.${s.state}`))}>${label} ${mark[s.state]}</span>`;
              })}
            </div>
          </div>`;
        })}
      </div>
    </section>`;
  }

  private renderMeetingList(d: BranchDashboard) {
    const inPeriod = d.meetings.filter((m) => m.date >= d.period.start && m.date <= d.period.end).reverse();
    const flags = (m: MeetingFigure) =>
      m.flags
        .filter((f) => f !== 'insufficientData' || m.satisfaction !== null)
        .map(
          (f) =>
            html`<span class="badge flag ${f === 'provisional' || f === 'insufficientData' ? 'warn' : 'danger'}">${t(`quality.flag.${f}`)}</span>`,
        );
    return html`<section class="panel">
      <h2>${t('dashboard.branch.meetingList', { period: periodLabel(d.period.key) })}</h2>
      ${inPeriod.length === 0 ? html`<p class="muted">${t('dashboard.branch.noMeetings')}</p>` : nothing}
      ${
        this.screen.narrow
          ? html`<ul class="meeting-cards">
            ${inPeriod.map(
              (m) => html`<li>
                <div class="top"><a class="title" href="/meetings/${m.id}">${m.title}</a>
                  <span class="score">${explained(scoreText(m.score), m.explanation)}</span></div>
                <div class="muted small">${formatDate(m.date)} · ${t(`meetingType.${m.type}`)} ${gradeBadge(m.grade)}</div>
                <div>${flags(m)}</div>
              </li>`,
            )}
          </ul>`
          : inPeriod.length === 0
            ? nothing
            : html`${tableWrap(
                t('dashboard.branch.meetingList', { period: periodLabel(d.period.key) }),
                html`<table class="meetings">
            <thead><tr>
              <th scope="col">${t('dashboard.column.date')}</th><th scope="col">${t('dashboard.column.meeting')}</th>
              <th scope="col">${t('dashboard.column.meetingType')}</th><th scope="col" class="num">${t('dashboard.column.mqi')}</th>
              <th scope="col">${t('dashboard.column.grade')}</th><th scope="col" class="num">${t('dashboard.column.attendancePercent')}</th>
              <th scope="col" class="num">${t('dashboard.column.satisfactionMean')}</th><th scope="col">${t('dashboard.column.flags')}</th>
            </tr></thead>
            <tbody>${inPeriod.map(
              (m) => html`<tr>
                <td>${formatDate(m.date)}</td><td><a href="/meetings/${m.id}">${m.title}</a></td>
                <td>${t(`meetingType.${m.type}`)}</td>
                <td class="num">${explained(scoreText(m.score), m.explanation)}</td>
                <td>${gradeBadge(m.grade)}</td><td class="num">${percentText(m.attendanceRate)}</td>
                <td class="num">${answersText(m.satisfaction, meanText)}</td><td>${flags(m)}</td>
              </tr>`,
            )}</tbody>
          </table>`,
              )}`
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-branch-dashboard': MjBranchDashboard;
  }
}
