/**
 * The branches' calendar. Party organizations keep their records in Beijing time: a due date, an
 * exemption's first and last day or a meeting's day are calendar days in China, whatever time zone
 * the server or a browser runs in.
 */
export const branchTimeZone = 'Asia/Shanghai';

const calendarDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: branchTimeZone,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * The calendar day (YYYY-MM-DD) an instant falls on in Asia/Shanghai.
 *
 * @example shanghaiDate(new Date('2026-11-30T23:30:00Z')) // '2026-12-01' (07:30 in Beijing)
 */
export function shanghaiDate(instant: Date): string {
  return calendarDay.format(instant);
}
