import type { IssueSource, MeetingType } from '../../shared/domain/enums.ts';
import type { Random } from './random.ts';

/**
 * What realistic organization life is made of, shared by the demo seed and the generated test
 * histories (tests/support/history.ts): names, the problems a 组织生活会 finds with their measures,
 * and which meetings a branch owes in a month.
 */

const surnames =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢';
const givenChars = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志文斌海燕鹏辉晓东雪梅德林';

/** A plausible Chinese full name: a common surname and one or two given characters. */
export function chineseName(random: Random): string {
  return `${random.pick([...surnames])}${random.pick([...givenChars])}${random.chance(0.6) ? random.pick([...givenChars]) : ''}`;
}

/** Problems found at a 组织生活会; measureTexts[i] is the usual rectification of problemTexts[i]. */
export const problemTexts = [
  '理论学习不够深入，学用结合不紧',
  '党费收缴不及时，公示不规范',
  '组织生活会准备不充分，会前谈心谈话流于形式',
  '联系服务群众不够主动',
  '“三会一课”记录不完整，归档不及时',
  '批评与自我批评辣味不足',
  '党员发挥先锋模范作用不够明显',
  '主题党日活动形式单一',
];
export const measureTexts = [
  '制定年度学习计划，每月集中学习一次并交流心得',
  '按月收缴党费并在支部公示栏公示',
  '会前逐一开展谈心谈话并形成记录',
  '每名党员每季度走访联系群众不少于两次',
  '会议记录会后七日内签字归档',
  '会前征求意见不少于十条，逐条回应',
  '设立党员先锋岗并每季度评议',
  '结合业务开展主题党日，轮流主持',
];
export const issueSourcesFound: IssueSource[] = ['self', 'masses', 'superior', 'peers', 'collective'];

/** Which meetings a branch owes in a month (DOMAIN.md §2), before it decides whether to hold them. */
export function dueThisMonth(month: number): MeetingType[] {
  const types: MeetingType[] = ['branchCommitteeMeeting', 'themedPartyDay'];
  if (month % 3 === 0) types.push('branchGeneralMeeting');
  if (month % 3 === 2) types.push('partyLecture');
  if (month === 12) types.push('orgLifeMeeting', 'memberAppraisal');
  return types;
}

export const meetingTitles: Record<MeetingType, string> = {
  branchGeneralMeeting: '支部党员大会',
  branchCommitteeMeeting: '支委会',
  partyGroupMeeting: '党小组会',
  partyLecture: '党课',
  themedPartyDay: '主题党日',
  orgLifeMeeting: '组织生活会',
  leadershipLifeMeeting: '民主生活会',
  memberAppraisal: '民主评议党员大会',
};
