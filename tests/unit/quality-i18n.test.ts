import { describe, expect, it } from 'vitest';
import { hasTranslation, translate } from '../../shared/i18n/index.ts';
import type { Trend } from '../../shared/quality/branch-index.ts';
import type { AttendanceWarningLevel, SlotState } from '../../shared/quality/compliance.ts';
import { type ComponentStatus, capKeys } from '../../shared/quality/mqi.ts';
import {
  complianceFrequencies,
  componentKeys,
  preparationSteps,
  qualityGrades,
  subMetricKeys,
} from '../../shared/quality/rubric.ts';
import type { ShrunkBranch } from '../../shared/quality/shrinkage.ts';

/** Every label a dashboard needs for the quality vocabularies, in both languages. */
describe('quality translations', () => {
  const expectKey = (key: string) => {
    expect(hasTranslation(key), key).toBe(true);
    expect(translate('en', key), key).not.toBe(key);
  };

  it('label every component, sub-metric, grade, frequency and flag', () => {
    for (const key of componentKeys) {
      expectKey(`quality.component.${key}`);
      for (const sub of subMetricKeys[key]) expectKey(`quality.metric.${sub}`);
    }
    for (const grade of qualityGrades) expectKey(`quality.grade.${grade}`);
    for (const frequency of complianceFrequencies) expectKey(`quality.frequency.${frequency}`);
    for (const flag of ['procedureInvalid', 'needsAttention', 'insufficientData', 'provisional']) {
      expectKey(`quality.flag.${flag}`);
    }
  });

  it('explain every way a component can be left out, every cap and every missing preparation step', () => {
    const leftOut: Array<Exclude<ComponentStatus, 'scored' | 'insufficientData'>> = [
      'notForMeetingType',
      'notRecorded',
    ];
    for (const key of componentKeys) {
      expectKey(`quality.explain.notForMeetingType.${key}`);
      // Only components that apply "when recorded" have something to be missing (P and S always do).
      if (key !== 'procedure' && key !== 'satisfaction')
        for (const status of leftOut) expectKey(`quality.explain.${status}.${key}`);
    }
    for (const cap of capKeys) expectKey(`quality.explain.cap.${cap}`);
    for (const step of preparationSteps) expectKey(`quality.explain.preparationMissing.${step}`);
  });

  it('label compliance slots, trends, comparisons and attendance warnings', () => {
    const slots: SlotState[] = ['held', 'missed', 'pending'];
    const directions: Trend['direction'][] = ['up', 'down', 'flat', 'unknown'];
    const positions: ShrunkBranch['position'][] = ['above', 'below', 'indistinguishable'];
    const warnings: Exclude<AttendanceWarningLevel, 'none'>[] = ['warn3', 'warn5'];
    for (const slot of slots) expectKey(`quality.slot.${slot}`);
    for (const direction of directions) expectKey(`quality.trend.${direction}`);
    for (const position of positions) expectKey(`quality.comparison.${position}`);
    for (const level of warnings) expectKey(`quality.attendanceWarning.${level}`);
    expect(translate('zh-CN', 'quality.suppressed', { k: 5 })).toBe('少于 5 份，不显示');
    expect(translate('en', 'quality.trend.down', { change: 2.7 })).toBe('Down 2.7');
  });
});
