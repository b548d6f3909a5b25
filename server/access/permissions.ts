import type { Role } from '../../shared/domain/enums.ts';

/**
 * What each role may do inside the organization subtree it is granted on. A grant on a committee
 * reaches every branch below it; a membership in a branch reaches that branch (and its groups).
 */
export const permissions = [
  'org.view',
  'org.manage',
  'accounts.manage',
  'roster.view',
  'members.view',
  'members.manage',
  'meetings.view',
  'meetings.manage',
  'leave.request',
  'minutes.view',
  'minutes.edit',
  'rectification.view',
  'rectification.manage',
  'dashboard.view',
  'rubric.manage',
  'live.host',
  'live.join',
  'appraisal.manage',
  'appraisal.report',
] as const;
export type Permission = (typeof permissions)[number];

export const rolePermissions: Record<Role, readonly Permission[]> = {
  // The operator builds the tree and the accounts; hosting meetings and judging members is not theirs.
  admin: [
    'org.view',
    'org.manage',
    'accounts.manage',
    'roster.view',
    'members.view',
    'members.manage',
    'meetings.view',
    'meetings.manage',
    'minutes.view',
    'rectification.view',
    'dashboard.view',
    'rubric.manage',
  ],
  // A superior organization reads records and aggregates; it never votes or hosts.
  committeeViewer: [
    'org.view',
    'roster.view',
    'members.view',
    'meetings.view',
    'minutes.view',
    'rectification.view',
    'dashboard.view',
    'rubric.manage',
    'appraisal.report',
  ],
  secretary: [
    'org.view',
    'roster.view',
    'members.view',
    'members.manage',
    'meetings.view',
    'meetings.manage',
    'leave.request',
    'minutes.view',
    'minutes.edit',
    'rectification.view',
    'rectification.manage',
    'dashboard.view',
    'live.host',
    'live.join',
    'appraisal.manage',
    'appraisal.report',
  ],
  member: ['org.view', 'roster.view', 'meetings.view', 'leave.request', 'live.join'],
  observer: ['org.view', 'meetings.view'],
};
