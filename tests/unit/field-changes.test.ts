import { describe, expect, it } from 'vitest';
import { diffFields } from '../../shared/domain/field-changes.ts';

describe('field-level changes', () => {
  it('reports changed, added and removed entries by their path, before → after', () => {
    const before = {
      closingSummary: '会议圆满完成',
      speeches: [
        { speaker: '张书记', summary: '带头查摆问题' },
        { speaker: '党员甲1', summary: '提出意见' },
      ],
      resolutions: ['通过整改清单'],
    };
    const after = {
      closingSummary: '会议圆满完成',
      speeches: [{ speaker: '张书记', summary: '带头查摆四个方面问题' }],
      resolutions: ['通过整改清单', '报上级党委备案'],
      custodian: '组织委员',
    };
    expect(diffFields(before, after)).toEqual([
      { field: 'speeches.0.summary', before: '带头查摆问题', after: '带头查摆四个方面问题' },
      { field: 'speeches.1', before: { speaker: '党员甲1', summary: '提出意见' }, after: null },
      { field: 'resolutions.1', before: null, after: '报上级党委备案' },
      { field: 'custodian', before: null, after: '组织委员' },
    ]);
  });

  it('finds nothing between equal records and compares dates by value', () => {
    expect(diffFields({ a: [1, { b: 'x' }] }, { a: [1, { b: 'x' }] })).toEqual([]);
    expect(
      diffFields({ at: new Date('2026-01-01T00:00:00Z') }, { at: new Date('2026-01-01T00:00:00Z') }),
    ).toEqual([]);
    expect(
      diffFields({ at: new Date('2026-01-01T00:00:00Z') }, { at: new Date('2026-01-02T00:00:00Z') }),
    ).toHaveLength(1);
  });
});
