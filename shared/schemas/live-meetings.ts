import { z } from 'zod';
import { meetingStatuses, meetingTypes } from '../domain/enums.ts';

/**
 * The branch's meetings as the host needs them to go live: which ones, when, and whether a live
 * session is running (with how many rounds are open), so the secretary finds today's meeting and
 * its console from the branch page.
 */
export const liveMeetingsQuery = z.strictObject({
  /** How far back to list past meetings, in days (upcoming ones are always listed). */
  days: z.coerce.number().int().min(1).max(366).default(60),
});

export const liveMeetingRow = z.object({
  id: z.uuid(),
  title: z.string(),
  type: z.enum(meetingTypes),
  status: z.enum(meetingStatuses),
  startsAt: z.date(),
  live: z.object({ open: z.boolean(), openRounds: z.number().int(), rounds: z.number().int() }),
});
export type LiveMeetingRow = z.infer<typeof liveMeetingRow>;

export const liveMeetingsResponse = z.object({ meetings: z.array(liveMeetingRow) });
