import { defineMessages } from '../define.ts';

export default defineMessages({
  'zh-CN': {
    'error.minutes.reasonRequired': '会议记录已签字锁定，修改须填写理由。',
    'error.minutes.invalidPerson': '所选人员不符合要求，请检查标出的字段。',
    'error.minutes.nothingChanged': '没有任何改动。',
    'error.minutes.votesExceedPresent':
      '表决票数超过了出席会议的有表决权党员人数，请核对表决情况和出勤登记。',
    'error.minutes.signerNotSet': '会议尚未指定主持人或记录人。',
    'error.minutes.signerHasNoAccount': '主持人或记录人尚未开通账号，开通后才能签字。',
    'error.minutes.notSigner': '只有主持人和记录人本人才能签字。',
    'error.minutes.locked': '会议记录已签字锁定。',
    'error.minutes.meetingNotHeld': '会议标记为“已召开”后才能签字。',
    'error.minutes.alreadySigned': '您已经签过字了。',
    'error.minutes.attendanceIncomplete': '还有参会人员未登记出勤，登记完才能签字。',
    'error.minutes.attachmentMissing': '请选择要上传的文件。',
    'error.minutes.attachmentType': '只能上传 PDF、JPG、PNG、Word（doc/docx）或 Excel（xls/xlsx）文件。',
    'error.minutes.tooManyAttachments': '附件数量已达上限。',
    'validation.notAttendee': '不是本次会议的参会或列席人员',
    'validation.exceedsPresent': '票数超过出席的有表决权人数',
    'validation.fileType': '不支持的文件类型',
  },
  en: {
    'error.minutes.reasonRequired': 'The minutes are signed and locked; a change needs a reason.',
    'error.minutes.invalidPerson':
      'Some of the people chosen are not allowed here; please check the marked fields.',
    'error.minutes.nothingChanged': 'Nothing was changed.',
    'error.minutes.votesExceedPresent':
      'A vote counts more ballots than voting members present; check the votes and the attendance.',
    'error.minutes.signerNotSet': 'The meeting has no host or recorder yet.',
    'error.minutes.signerHasNoAccount':
      'The host or recorder has no account yet; they can sign once they have one.',
    'error.minutes.notSigner': 'Only the host and the recorder themselves can sign.',
    'error.minutes.locked': 'The minutes are signed and locked.',
    'error.minutes.meetingNotHeld': 'The minutes can be signed once the meeting is marked as held.',
    'error.minutes.alreadySigned': 'You have already signed.',
    'error.minutes.attendanceIncomplete':
      'Some invitees have no attendance mark yet; mark everyone before signing.',
    'error.minutes.attachmentMissing': 'Choose a file to upload.',
    'error.minutes.attachmentType':
      'Only PDF, JPG, PNG, Word (doc/docx) or Excel (xls/xlsx) files can be uploaded.',
    'error.minutes.tooManyAttachments': 'The minutes already have the maximum number of attachments.',
    'validation.notAttendee': 'Not an invitee or observer of this meeting',
    'validation.exceedsPresent': 'More ballots than voting members present',
    'validation.fileType': 'File type not accepted',
  },
});
