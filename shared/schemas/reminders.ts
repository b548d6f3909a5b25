import { z } from 'zod';
import { isoDate } from './common.ts';
import { itemSummary, meetingRef, personRef } from './rectification.ts';

/** What the home page reminds a person of: their own due work, and what their branches wait on. */

export const branchReminders = z.object({
  organization: z.object({ id: z.uuid(), name: z.string() }),
  /** All of the branch's overdue items… */
  overdueCount: z.number().int(),
  /** …and the few most overdue, earliest due date first. */
  mostOverdue: z.array(itemSummary),
  /** Pending leave requests for meetings that have not started, by meeting, soonest first. */
  pendingLeave: z.array(z.object({ meeting: meetingRef, members: z.array(personRef) })),
});
export type BranchReminders = z.infer<typeof branchReminders>;

export const remindersResponse = z.object({
  /** Today in the branch calendar (Asia/Shanghai), the day overdue and "due soon" were judged by. */
  today: isoDate,
  /** The caller's own open items that are overdue or due soon, overdue first. */
  ownItems: z.array(itemSummary),
  /** Branches where the caller sits on the committee (rectification.manage) and something waits. */
  branches: z.array(branchReminders),
});
export type RemindersResponse = z.infer<typeof remindersResponse>;
