/**
 * The domain's closed vocabularies (../product/DOMAIN.md), written once as `as const` arrays so the
 * database types, the zod schemas and the client's translation keys all come from one list.
 */
export const organizationKinds = ['primaryCommittee', 'generalBranch', 'partyBranch', 'partyGroup'] as const;
export type OrganizationKind = (typeof organizationKinds)[number];

/** Which kinds may sit directly under which (基层党委 → 党总支 → 党支部 → 党小组). */
export const allowedParentKinds: Record<OrganizationKind, readonly (OrganizationKind | null)[]> = {
  primaryCommittee: [null, 'primaryCommittee'],
  generalBranch: ['primaryCommittee'],
  partyBranch: ['primaryCommittee', 'generalBranch'],
  partyGroup: ['partyBranch'],
};

export const roles = ['admin', 'committeeViewer', 'secretary', 'member', 'observer'] as const;
export type Role = (typeof roles)[number];

/** Roles granted explicitly; `member` and `secretary` normally come from the roster instead. */
export const grantableRoles = ['admin', 'committeeViewer', 'secretary', 'observer'] as const;

export const memberStatuses = ['fullMember', 'probationaryMember'] as const;
export type MemberStatus = (typeof memberStatuses)[number];

export const committeeRoles = [
  'secretary',
  'deputySecretary',
  'organization',
  'publicity',
  'discipline',
  'committeeMember',
] as const;
export type CommitteeRole = (typeof committeeRoles)[number];

export const exemptionReasons = [
  'illness',
  'abroad',
  'elderlyOrBedridden',
  'serving',
  'awayUnreachable',
  'other',
] as const;
export type ExemptionReason = (typeof exemptionReasons)[number];

export const meetingTypes = [
  'branchGeneralMeeting',
  'branchCommitteeMeeting',
  'partyGroupMeeting',
  'partyLecture',
  'themedPartyDay',
  'orgLifeMeeting',
  'leadershipLifeMeeting',
  'memberAppraisal',
] as const;
export type MeetingType = (typeof meetingTypes)[number];

export const meetingModes = ['inPerson', 'online', 'hybrid'] as const;
export type MeetingMode = (typeof meetingModes)[number];

export const meetingStatuses = ['scheduled', 'inProgress', 'held', 'cancelled'] as const;
export type MeetingStatus = (typeof meetingStatuses)[number];

export const attendanceStatuses = ['present', 'absent', 'excused', 'exempt'] as const;
export type AttendanceStatus = (typeof attendanceStatuses)[number];

export const leaveStatuses = ['pending', 'approved', 'rejected'] as const;
export type LeaveStatus = (typeof leaveStatuses)[number];

export const issueSources = ['self', 'masses', 'superior', 'peers', 'collective', 'inspection'] as const;
export type IssueSource = (typeof issueSources)[number];

export const subjectScopes = ['branch', 'member'] as const;
export type SubjectScope = (typeof subjectScopes)[number];

export const problemCategories = ['work', 'style', 'thought'] as const;
export type ProblemCategory = (typeof problemCategories)[number];

export const problemOrigins = ['manual', 'criticismItem', 'selfExamination', 'opinionSolicitation'] as const;
export type ProblemOrigin = (typeof problemOrigins)[number];

/** Stored statuses; "overdue" is derived from the due date, never stored, so it can't go stale. */
export const rectificationStatuses = ['planned', 'inProgress', 'completed', 'verified', 'cancelled'] as const;
export type RectificationStatus = (typeof rectificationStatuses)[number];

export const publicationScopes = ['branch', 'organization', 'public'] as const;
export type PublicationScope = (typeof publicationScopes)[number];

export const appraisalGrades = ['excellent', 'qualified', 'basicallyQualified', 'unqualified'] as const;
export type AppraisalGrade = (typeof appraisalGrades)[number];

export const locales = ['zh-CN', 'en'] as const;
export type Locale = (typeof locales)[number];
