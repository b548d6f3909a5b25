import { defineMessages } from '../define.ts';

export default defineMessages({
  'zh-CN': {
    'error.rectification.subjectMismatch': '“个人”问题必须指定党员，“班子”问题不能指定党员。',
    'error.rectification.memberNotInBranch': '所选人员不是本支部党员。',
  },
  en: {
    'error.rectification.subjectMismatch':
      'A personal problem needs a member; a committee problem must not name one.',
    'error.rectification.memberNotInBranch': 'The chosen person is not a member of this branch.',
  },
});
