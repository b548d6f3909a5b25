import { html, nothing } from 'lit';
import type { MeetingStatus } from '../../shared/domain/enums.ts';
import type { Quorum } from '../../shared/domain/quorum.ts';
import { formatDate, locale, t } from '../core/i18n.ts';

const statusBadge: Record<MeetingStatus, string> = {
  scheduled: '',
  inProgress: 'warn',
  held: 'ok',
  cancelled: 'danger',
};

export function statusBadgeOf(status: MeetingStatus) {
  return html`<span class="badge ${statusBadge[status]}">${t(`meetingStatus.${status}`)}</span>`;
}

/** Punctuation differs by language: "名称（说明）" but "name (note)"; "标签：值" but "label: value". */
export const paren = (text: string) => t('meeting.paren', { text });
export const pair = (label: string, value: string) => t('meeting.pair', { label, value });
/** Items joined by 、 (or by ； when the items themselves contain lists). */
export const listOf = (items: readonly string[], separator = t('meeting.listSep')) =>
  items.length ? items.join(separator) : '—';
export const withNote = (text: string, note: string | null | undefined) =>
  note ? `${text}${paren(note)}` : text;

/** "2026年12月1日 14:30–16:30", or with both dates when the meeting spans days. */
export function timeRange(startsAt: string, endsAt: string | null): string {
  const start = formatDate(startsAt, true);
  if (!endsAt) return start;
  const sameDay = new Date(startsAt).toDateString() === new Date(endsAt).toDateString();
  if (!sameDay) return `${start} – ${formatDate(endsAt, true)}`;
  const time = new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit' }).format(
    new Date(endsAt),
  );
  return `${start}–${time}`;
}

/** An instant as the value of an <input type="datetime-local"> in the browser's time zone. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The value of a datetime-local input as an instant, or null when empty or unreadable. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** "Quorum: more than half of full members — 3 needed, 2 present — not met", or that none applies. */
export function quorumText(quorum: Quorum): string {
  if (quorum.rule === 'none') return t('quorum.none');
  return t('quorum.summary', {
    rule: t(`quorum.rule.${quorum.rule}`),
    required: quorum.required,
    present: quorum.present,
    result: t(quorum.met ? 'quorum.met' : 'quorum.notMet'),
  });
}

export function quorumBadge(quorum: Quorum) {
  if (quorum.met === null) return nothing;
  return html`<span class="badge ${quorum.met ? 'ok' : 'danger'}">${t(quorum.met ? 'quorum.met' : 'quorum.notMet')}</span>`;
}
