import { shanghaiDate } from './calendar.ts';
import type { PublicationScope, RectificationStatus } from './enums.ts';

/** One piece of evidence (佐证材料) for a rectification item: a description with a link, a file, or both. */
export interface EvidenceItem {
  id: string;
  description: string;
  /** An external http(s) link, e.g. to a published notice. */
  link?: string;
  /** An uploaded file in rectification_attachments. */
  attachmentId?: string;
  addedAt: string;
  /** Account that added it. */
  addedBy?: string | null;
}

/** At most this many evidence entries per item, and files up to this size: enough for photos and scans. */
export const maxEvidencePerItem = 20;
export const maxEvidenceFileBytes = 10 * 1024 * 1024;

/**
 * File types accepted as evidence. Images are shown inline; everything else is always downloaded,
 * never rendered, so an uploaded file cannot run script in the app's origin (SVG and HTML are
 * therefore not accepted at all).
 */
export const evidenceContentTypes = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'application/pdf',
  'text/plain',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
] as const;

export const inlineEvidenceTypes: readonly string[] = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];

/** What a person sees: the stored status, or `overdue` when an open item's due date has passed. */
export const effectiveRectificationStatuses = [
  'planned',
  'inProgress',
  'overdue',
  'completed',
  'verified',
  'cancelled',
] as const;
export type EffectiveRectificationStatus = (typeof effectiveRectificationStatuses)[number];

// Due dates are calendar days in China (shared/domain/calendar.ts); re-exported for rectification's importers.
export { shanghaiDate };

function utcDay(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

/** The calendar day `days` after `day` (YYYY-MM-DD); negative counts back. */
export function addDays(day: string, days: number): string {
  return new Date(utcDay(day) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcDay(to) - utcDay(from)) / 86_400_000);
}

export interface DueFacts {
  status: RectificationStatus;
  /** YYYY-MM-DD, or null for an ongoing item (长期坚持) that never falls due. */
  dueOn: string | null;
}

/**
 * Overdue is derived, never stored, so it can't go stale: an item is overdue when it is still
 * planned or in progress and its due date lies before today (Asia/Shanghai calendar days). An item
 * due today is not yet overdue.
 */
export function effectiveStatus(item: DueFacts, today: string): EffectiveRectificationStatus {
  const open = item.status === 'planned' || item.status === 'inProgress';
  if (open && item.dueOn !== null && item.dueOn < today) return 'overdue';
  return item.status;
}

/** An open item due within this many days is "due soon": its owner is reminded, the pages say so. */
export const dueSoonDays = 7;

/**
 * Whether the owner should be reminded of an open item: it is overdue, or due within dueSoonDays
 * (today included). Ongoing items (no due date) and finished ones never are.
 */
export function needsOwnerReminder(item: DueFacts, today: string): boolean {
  const open = item.status === 'planned' || item.status === 'inProgress';
  return open && item.dueOn !== null && item.dueOn <= addDays(today, dueSoonDays);
}

export const timelinessValues = ['onTime', 'late', 'overdue', 'pending', 'noDueDate', 'cancelled'] as const;
export type Timeliness = (typeof timelinessValues)[number];

/**
 * Whether an item was done by its due date, as the quality index reads it: done (completed or
 * verified) on or before the due day is `onTime`, after it `late`; an open item past its due day is
 * `overdue`, otherwise `pending`.
 */
export function timeliness(
  item: DueFacts & { completedAt: Date | string | null },
  today: string,
): Timeliness {
  if (item.status === 'cancelled') return 'cancelled';
  if (item.dueOn === null) return 'noDueDate';
  if (item.status === 'completed' || item.status === 'verified') {
    const doneOn = item.completedAt ? shanghaiDate(new Date(item.completedAt)) : today;
    return doneOn <= item.dueOn ? 'onTime' : 'late';
  }
  return item.dueOn < today ? 'overdue' : 'pending';
}

/** Actions on an item; each is a move between stored statuses. */
export const rectificationActions = ['start', 'complete', 'sendBack', 'verify', 'cancel'] as const;
export type RectificationAction = (typeof rectificationActions)[number];

export interface ActionRule {
  from: readonly RectificationStatus[];
  to: RectificationStatus;
  /** Whether the owner may take it on their own item (otherwise only the branch committee). */
  owner: boolean;
  /** Whether the owner is barred from it even when they also sit on the committee. */
  notByOwner: boolean;
  noteRequired: boolean;
}

/**
 * The lifecycle planned → inProgress → completed → verified, with cancel from any state before
 * verification and send-back (退回整改) when a check finds the work unfinished. The owner moves their
 * own item forward; only the committee verifies (对账销号), sends back or cancels, and never on an
 * item they own.
 */
export const actionRules: Record<RectificationAction, ActionRule> = {
  start: { from: ['planned'], to: 'inProgress', owner: true, notByOwner: false, noteRequired: false },
  complete: { from: ['inProgress'], to: 'completed', owner: true, notByOwner: false, noteRequired: true },
  sendBack: { from: ['completed'], to: 'inProgress', owner: false, notByOwner: true, noteRequired: true },
  verify: { from: ['completed'], to: 'verified', owner: false, notByOwner: true, noteRequired: false },
  cancel: {
    from: ['planned', 'inProgress', 'completed'],
    to: 'cancelled',
    owner: false,
    notByOwner: true,
    noteRequired: true,
  },
};

export interface Actor {
  /** Holds rectification.manage in the item's branch. */
  manages: boolean;
  /** The item's owner member is this person. */
  isOwner: boolean;
}

/** The actions this person may take on an item in its current status, in lifecycle order. */
export function allowedActions(status: RectificationStatus, actor: Actor): RectificationAction[] {
  return rectificationActions.filter((action) => {
    const rule = actionRules[action];
    if (!rule.from.includes(status)) return false;
    if (actor.isOwner && rule.notByOwner) return false;
    return actor.manages || (actor.isOwner && rule.owner);
  });
}

/** Items that are closed (verified or cancelled) are a record: no more edits, evidence or actions. */
export function isClosed(status: RectificationStatus): boolean {
  return status === 'verified' || status === 'cancelled';
}

/** Kinds of history entries: status moves and the other changes worth a line in the timeline. */
export const rectificationEventKinds = [
  'transition',
  'edited',
  'evidenceAdded',
  'evidenceRemoved',
  'published',
  'reviewed',
] as const;
export type RectificationEventKind = (typeof rectificationEventKinds)[number];

/** Item fields whose edits are listed in the history. */
export const editableItemFields = [
  'measures',
  'ownerMemberId',
  'ownerUnit',
  'dueOn',
  'pledge',
  'immediateFix',
] as const;
export type EditableItemField = (typeof editableItemFields)[number];

export interface FieldChange {
  field: EditableItemField;
  /** Shown as written (a member's name rather than their id), so the history reads on its own. */
  before: string | boolean | null;
  after: string | boolean | null;
}

export type RectificationEventDetails =
  | { changes: FieldChange[] }
  | { description: string }
  | { scope: PublicationScope | null }
  | { meetingId: string | null };
