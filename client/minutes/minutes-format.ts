import { html, nothing, type TemplateResult } from 'lit';
import type { AttendanceStatus } from '../../shared/domain/enums.ts';
import type { Absentee } from '../../shared/domain/meetings.ts';
import { moreThanHalf, voteOutcome } from '../../shared/domain/quorum.ts';
import type { MinutesView } from '../../shared/schemas/minutes.ts';
import { formatDate, t } from '../core/i18n.ts';
import { listOf, pair, quorumText, timeRange, withNote } from '../meetings/meeting-format.ts';

export function absenteeText(a: Absentee): string {
  const why = a.reason ?? (a.exemptionReason ? t(`exemptionReason.${a.exemptionReason}`) : '');
  const status = t(`attendanceStatus.${a.status}`);
  const detail = why ? pair(status, why) : status;
  return withNote(a.name, a.excused ? detail : listOf([detail, t('minutes.unexcused')]));
}

/**
 * The header and attendance of the minutes as label/value rows (会议名称 … 法定人数); pages that
 * show the quorum indicator leave the quorum row out.
 */
export function recordRows(view: MinutesView, options = { withQuorum: true }): Array<[string, string]> {
  const r = view.record;
  return [
    [t('minutes.field.title'), r.title],
    [t('meeting.sessionNo'), r.sessionNo ? String(r.sessionNo) : '—'],
    [t('meeting.type'), t(`meetingType.${r.type}`)],
    ...(r.theme ? [[t('meeting.theme'), r.theme] as [string, string]] : []),
    [t('meeting.time'), timeRange(r.startsAt, r.endsAt)],
    [t('meeting.location'), withNote(r.location || '—', t(`meetingMode.${r.mode}`))],
    [t('meeting.host'), r.host?.name ?? '—'],
    [t('meeting.recorder'), r.recorder?.name ?? '—'],
    [
      t('minutes.field.counts'),
      t('minutes.countsValue', { expected: r.expectedCount, present: r.presentCount }),
    ],
    [t('minutes.field.attendees'), listOf(r.attendees.map((a) => a.name))],
    [t('minutes.field.absentees'), listOf(r.absentees.map(absenteeText), t('meeting.listSepStrong'))],
    [t('meeting.observers'), listOf(r.observers.map((o) => withNote(o.name, o.affiliation)))],
    ...(options.withQuorum ? [[t('minutes.field.quorum'), quorumText(r.quorum)] as [string, string]] : []),
  ];
}

/** "4 yes, 0 no, 1 abstained — passed (more than half of the 5 expected voters)". */
export function voteResultText(
  vote: { yes: number; no: number; abstain: number },
  voting: { expected: number; present: number },
): string {
  const outcome = voteOutcome(vote, voting);
  return t(outcome.passed ? 'minutes.votePassed' : 'minutes.voteFailed', {
    expected: voting.expected,
    needed: moreThanHalf(voting.expected),
  });
}

export const votingOf = (view: MinutesView) => ({
  expected: view.record.votingExpected ?? 0,
  present: view.record.votingPresent ?? 0,
});

const paragraphs = (items: string[]) =>
  items.length ? html`<ol>${items.map((text) => html`<li>${text}</li>`)}</ol>` : html`<p class="muted">—</p>`;

/** Every section the recorder wrote, for reading and printing. */
export function minutesSections(view: MinutesView): TemplateResult {
  const c = view.content;
  const voting = votingOf(view);
  return html`
    <section>
      <h2>${t('minutes.field.recordingMethod')}</h2>
      <p>${t(`minutes.method.${view.recordingMethod}`)}</p>
    </section>
    <section><h2>${t('minutes.field.agendaItems')}</h2>${paragraphs(c.agendaItems)}</section>
    <section><h2>${t('minutes.field.reports')}</h2>${paragraphs(c.reports)}</section>
    <section>
      <h2>${t('minutes.field.speeches')}</h2>
      ${
        c.speeches.length
          ? c.speeches.map(
              (s) =>
                html`<div class="speech"><strong>${pair(s.speakerName ?? '', '')}</strong><span class="text">${s.summary}</span></div>`,
            )
          : html`<p class="muted">—</p>`
      }
    </section>
    <section>
      <h2>${t('minutes.field.votes')}</h2>
      ${
        c.votes.length
          ? html`<table class="votes">
            <thead><tr><th>${t('minutes.sub.item')}</th><th>${t('minutes.sub.yes')}</th><th>${t('minutes.sub.no')}</th><th>${t('minutes.sub.abstain')}</th><th>${t('minutes.voteResult')}</th></tr></thead>
            <tbody>${c.votes.map(
              (v) =>
                html`<tr><td>${v.item}</td><td>${v.yes}</td><td>${v.no}</td><td>${v.abstain}</td><td>${voteResultText(v, voting)}</td></tr>`,
            )}</tbody>
          </table>
          <p class="small">${quorumText(view.record.quorum)}</p>`
          : html`<p class="muted">—</p>`
      }
    </section>
    <section><h2>${t('minutes.field.resolutions')}</h2>${paragraphs(c.resolutions)}</section>
    <section>
      <h2>${t('minutes.field.closingSummary')}</h2>
      ${c.closingSummary ? html`<p class="text">${c.closingSummary}</p>` : html`<p class="muted">—</p>`}
    </section>
  `;
}

export function signatureText(view: MinutesView, role: 'host' | 'recorder'): string {
  const signature = view.signatures[role];
  const name = view.record[role]?.name ?? '—';
  return signature
    ? t('minutes.signedOn', { name, at: formatDate(signature.signedAt, true) })
    : t('minutes.notSigned', { name });
}

/** "发言要点 第2条 · 内容" for `speeches.1.summary`; "出勤 · 张三" for `attendance.张三`. */
export function changeLabel(field: string): string {
  if (field.startsWith('attendance.'))
    return `${t('minutes.field.attendance')} · ${field.slice('attendance.'.length)}`;
  const [section, ...rest] = field.split('.');
  return [
    t(`minutes.field.${section}`),
    ...rest.map((part) =>
      /^\d+$/.test(part) ? t('minutes.itemNo', { n: Number(part) + 1 }) : t(`minutes.sub.${part}`),
    ),
  ].join(' · ');
}

/** A value from an amendment as a person reads it. */
export function changeValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return t('minutes.emptyValue');
  if (field === 'recordingMethod') return t(`minutes.method.${value}`);
  if (typeof value !== 'object') return String(value);
  const v = value as Record<string, unknown>;
  if (field.startsWith('attendance.'))
    return withNote(
      v.status ? t(`attendanceStatus.${v.status as AttendanceStatus}`) : t('attendance.unmarked'),
      v.note as string | null,
    );
  if ('summary' in v) return pair(String(v.speaker), String(v.summary));
  if ('yes' in v)
    return t('minutes.voteLine', {
      item: String(v.item),
      yes: Number(v.yes),
      no: Number(v.no),
      abstain: Number(v.abstain),
    });
  return JSON.stringify(value);
}

export function amendmentList(view: MinutesView) {
  if (view.amendments.length === 0) return nothing;
  return html`<ol class="amendments">
    ${view.amendments.map(
      (a) => html`<li>
        <div><strong>${formatDate(a.amendedAt, true)}</strong> · ${a.amendedByName}</div>
        <div>${pair(t('minutes.amendReason'), a.reason)}</div>
        <ul>${a.changes.map((c) => html`<li>${pair(changeLabel(c.field), `${changeValue(c.field, c.before)} → ${changeValue(c.field, c.after)}`)}</li>`)}</ul>
      </li>`,
    )}
  </ol>`;
}

export function fileSize(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
