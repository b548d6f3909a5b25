import { describe, expect, it } from 'vitest';
import { rectificationStatuses } from '../../shared/domain/enums.ts';
import {
  addDays,
  allowedActions,
  daysBetween,
  effectiveStatus,
  isClosed,
  needsOwnerReminder,
  shanghaiDate,
  timeliness,
} from '../../shared/domain/rectification.ts';

describe('the calendar day in Asia/Shanghai', () => {
  it('turns at 16:00 UTC, whatever time zone the server runs in', () => {
    expect(shanghaiDate(new Date('2026-11-26T15:59:59Z'))).toBe('2026-11-26');
    expect(shanghaiDate(new Date('2026-11-26T16:00:00Z'))).toBe('2026-11-27');
    expect(shanghaiDate(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01');
  });
});

describe('calendar arithmetic on YYYY-MM-DD days', () => {
  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2026-11-26', 7)).toBe('2026-12-03');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('counts whole days between two days, negative backwards', () => {
    expect(daysBetween('2026-11-26', '2026-12-03')).toBe(7);
    expect(daysBetween('2026-12-03', '2026-11-26')).toBe(-7);
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
  });
});

describe('reminding an owner', () => {
  const today = '2026-11-26';

  it('reminds of open items that are overdue or due within seven days, today included', () => {
    for (const dueOn of ['2025-01-01', '2026-11-25', '2026-11-26', '2026-12-03'])
      expect(needsOwnerReminder({ status: 'planned', dueOn }, today), dueOn).toBe(true);
    expect(needsOwnerReminder({ status: 'inProgress', dueOn: '2026-11-30' }, today)).toBe(true);
  });

  it('stays quiet about later, ongoing and finished items', () => {
    expect(needsOwnerReminder({ status: 'planned', dueOn: '2026-12-04' }, today)).toBe(false);
    expect(needsOwnerReminder({ status: 'inProgress', dueOn: null }, today)).toBe(false);
    for (const status of ['completed', 'verified', 'cancelled'] as const)
      expect(needsOwnerReminder({ status, dueOn: '2026-11-01' }, today), status).toBe(false);
  });
});

describe('effective status: overdue is derived', () => {
  const today = '2026-11-26';

  it('is overdue for a planned or in-progress item whose due day is before today', () => {
    expect(effectiveStatus({ status: 'planned', dueOn: '2026-11-25' }, today)).toBe('overdue');
    expect(effectiveStatus({ status: 'inProgress', dueOn: '2025-01-01' }, today)).toBe('overdue');
  });

  it('is not yet overdue on the due day itself, nor before it', () => {
    expect(effectiveStatus({ status: 'planned', dueOn: '2026-11-26' }, today)).toBe('planned');
    expect(effectiveStatus({ status: 'inProgress', dueOn: '2026-12-01' }, today)).toBe('inProgress');
  });

  it('never marks an ongoing item (no due date) overdue', () => {
    expect(effectiveStatus({ status: 'planned', dueOn: null }, today)).toBe('planned');
  });

  it('leaves completed, verified and cancelled items as they are, however late', () => {
    for (const status of ['completed', 'verified', 'cancelled'] as const)
      expect(effectiveStatus({ status, dueOn: '2020-01-01' }, today)).toBe(status);
  });

  it('follows the Shanghai calendar near midnight', () => {
    const item = { status: 'planned' as const, dueOn: '2026-11-26' };
    // 23:30 in Beijing on the due day: still due today.
    expect(effectiveStatus(item, shanghaiDate(new Date('2026-11-26T15:30:00Z')))).toBe('planned');
    // 00:30 in Beijing the next day (still the 26th in UTC): overdue.
    expect(effectiveStatus(item, shanghaiDate(new Date('2026-11-26T16:30:00Z')))).toBe('overdue');
  });
});

describe('timeliness, as the quality index reads it', () => {
  const today = '2026-11-26';
  it('is on time when completed on or before the due day (Shanghai), late after it', () => {
    const due = { dueOn: '2026-11-20' };
    expect(timeliness({ ...due, status: 'completed', completedAt: '2026-11-20T15:00:00Z' }, today)).toBe(
      'onTime',
    );
    // 00:30 on the 21st in Beijing.
    expect(timeliness({ ...due, status: 'verified', completedAt: '2026-11-20T16:30:00Z' }, today)).toBe(
      'late',
    );
  });
  it('is overdue or pending while open, and says so for ongoing and cancelled items', () => {
    expect(timeliness({ status: 'inProgress', dueOn: '2026-11-25', completedAt: null }, today)).toBe(
      'overdue',
    );
    expect(timeliness({ status: 'planned', dueOn: '2026-11-26', completedAt: null }, today)).toBe('pending');
    expect(timeliness({ status: 'planned', dueOn: null, completedAt: null }, today)).toBe('noDueDate');
    expect(timeliness({ status: 'cancelled', dueOn: '2026-01-01', completedAt: null }, today)).toBe(
      'cancelled',
    );
  });
});

describe('who may do what on an item', () => {
  const committee = { manages: true, isOwner: false };
  const owner = { manages: false, isOwner: true };
  const committeeOwner = { manages: true, isOwner: true };
  const viewer = { manages: false, isOwner: false };

  it('lets the owner move their item forward but not judge it', () => {
    expect(allowedActions('planned', owner)).toEqual(['start']);
    expect(allowedActions('inProgress', owner)).toEqual(['complete']);
    expect(allowedActions('completed', owner)).toEqual([]);
  });

  it('lets the committee verify or send back only from completed, and cancel before verification', () => {
    expect(allowedActions('planned', committee)).toEqual(['start', 'cancel']);
    expect(allowedActions('inProgress', committee)).toEqual(['complete', 'cancel']);
    expect(allowedActions('completed', committee)).toEqual(['sendBack', 'verify', 'cancel']);
  });

  it('bars a committee member from verifying, sending back or cancelling their own item', () => {
    expect(allowedActions('completed', committeeOwner)).toEqual([]);
    expect(allowedActions('planned', committeeOwner)).toEqual(['start']);
  });

  it('gives a read-only viewer nothing, and nobody anything on a closed item', () => {
    for (const status of rectificationStatuses) expect(allowedActions(status, viewer)).toEqual([]);
    for (const status of ['verified', 'cancelled'] as const) {
      expect(isClosed(status)).toBe(true);
      expect(allowedActions(status, committee)).toEqual([]);
      expect(allowedActions(status, owner)).toEqual([]);
    }
  });
});
