import type { SurveyInstrument } from '../schemas/rounds.ts';

/**
 * The default satisfaction instrument (DOMAIN.md §5): five 1–5 items, the overall
 * 满意/基本满意/不满意 question and an optional comment — answerable in about 90 seconds on a phone.
 * It is stored as version 1 the first time a survey round needs it; committees publish edited
 * versions as data, never by changing this constant.
 */
export const defaultSurveyInstrument: SurveyInstrument = {
  likert: [
    { key: 'themeFocus', label: { 'zh-CN': '会议主题聚焦', en: 'The meeting kept to its theme' } },
    { key: 'preparation', label: { 'zh-CN': '会前准备充分', en: 'It was well prepared beforehand' } },
    {
      key: 'candour',
      label: {
        'zh-CN': '批评与自我批评真诚具体',
        en: 'Criticism and self-criticism were sincere and concrete',
      },
    },
    { key: 'problemSolving', label: { 'zh-CN': '解决了实际问题', en: 'It solved real problems' } },
    { key: 'conduct', label: { 'zh-CN': '组织有序、氛围良好', en: 'It was well run, in a good atmosphere' } },
  ],
  overall: true,
  comment: true,
};
