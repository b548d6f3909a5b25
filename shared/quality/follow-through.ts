import type { RectificationStatus } from '../domain/enums.ts';
import type { MeetingQualityInputs } from './mqi.ts';

/**
 * How the rectification items a meeting produced stand, as component R reads them
 * (QUALITY-INDEX.md: "completed and verified by due date; late = half, overdue = 0"). Verification
 * (对账销号) is what counts, so an item is on time when it was verified on or before its due day
 * and late when verified after it; an item past its due day and not verified is overdue, whatever
 * its owner reported. Days are calendar days in China (shared/domain/calendar.ts). Cancelled items
 * are left out. An item without a due date (长期坚持) never falls due: until verified it keeps R
 * provisional, and it is not well-formed.
 *
 * @example
 * followThrough(items, '2027-04-02');
 * // { items: 8, wellFormed: 8, verifiedOnTime: 6, verifiedLate: 1, overdue: 1 }
 */
export interface ItemFacts {
  status: RectificationStatus;
  /** YYYY-MM-DD or null. */
  dueOn: string | null;
  /** The calendar day it was verified (YYYY-MM-DD), null until then. */
  verifiedOn: string | null;
  measures: string;
  /** A member or a unit (e.g. 支部委员会) answers for it. */
  hasOwner: boolean;
  /** It came from a recorded problem (查摆问题). */
  hasProblem: boolean;
}

export type FollowThrough = Omit<MeetingQualityInputs['rectification'], 'previousItemsReviewed'>;

export function followThrough(items: readonly ItemFacts[], today: string): FollowThrough {
  const counted = items.filter((item) => item.status !== 'cancelled');
  const result: FollowThrough = {
    items: counted.length,
    wellFormed: 0,
    verifiedOnTime: 0,
    verifiedLate: 0,
    overdue: 0,
  };
  for (const item of counted) {
    if (item.hasOwner && item.measures.trim() !== '' && item.dueOn !== null && item.hasProblem)
      result.wellFormed += 1;
    if (item.status === 'verified') {
      // Verified without a due date, or without a recorded day (legacy rows), can't have been late.
      if (item.dueOn === null || item.verifiedOn === null || item.verifiedOn <= item.dueOn)
        result.verifiedOnTime += 1;
      else result.verifiedLate += 1;
    } else if (item.dueOn !== null && item.dueOn < today) result.overdue += 1;
  }
  return result;
}
