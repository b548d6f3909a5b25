import { defineMessages } from '../define.ts';

export default defineMessages({
  'zh-CN': {
    'reminders.title': '提醒',
    'reminders.overdueCount': '{count} 项整改事项已逾期',
    'reminders.seeAllOverdue': '查看全部逾期事项',
    'reminders.pendingLeave': '待审批的请假',
    'reminders.leaveAskedBy': '{names} 请假',
  },
  en: {
    'reminders.title': 'Reminders',
    'reminders.overdueCount': 'Overdue rectification items: {count}',
    'reminders.seeAllOverdue': 'See all overdue items',
    'reminders.pendingLeave': 'Leave requests awaiting a decision',
    'reminders.leaveAskedBy': 'Leave asked by {names}',
  },
});
