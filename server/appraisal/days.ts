import { recordedDayProblem } from '../../shared/domain/appraisal.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { badRequest } from '../http/errors.ts';

/**
 * Refuses a recorded day (told on, approved on, closed on…) before `earliest` — reported in `field`
 * as `tooEarly` — or after today in the branch's calendar (Asia/Shanghai).
 */
export function requireDay(field: string, day: string, earliest: string, tooEarly: string, now: Date) {
  const problem = recordedDayProblem(day, earliest, tooEarly, shanghaiDate(now));
  if (problem) throw badRequest('request.invalid', { [field]: problem });
}
