import type {
  CommitteeBranchRow,
  MeetingFigure,
  SeriesPoint,
  SuppressedNumber,
} from '../../shared/schemas/dashboards.ts';
import { t } from '../core/i18n.ts';
import { labelValue, meanText, periodTick } from './format.ts';
import type { ChartOption } from './mj-chart.ts';

/**
 * The dashboards' charts as ECharts options. Figures withheld below k are gaps (null), never zeros;
 * colours are paired with labels, legends and tooltips so no chart is read by colour alone.
 */

export const componentColours: Record<string, string> = {
  procedure: '#0969da',
  satisfaction: '#1a7f37',
  criticism: '#bf8700',
  appraisal: '#8250df',
  rectification: '#cf222e',
};

const percent = (share: number | null) => (share === null ? null : Math.round(1000 * share) / 10);
const shown = (figure: SuppressedNumber | null) => (figure && !figure.suppressed ? figure.value : null);

/** Legends go on top and wrap, so they never collide with a zoom slider or turned axis labels. */
const legend = { top: 0, type: 'plain' as const, itemGap: 12 };
/** Room above the plot for a legend of one line on a laptop, two or three on a phone. */
const gridFor = (narrow: boolean, extra: { bottom?: number; legendItems?: number } = {}) => ({
  left: 8,
  right: 16,
  // About two legend entries fit a line on a phone.
  top: narrow ? 24 + 22 * Math.ceil((extra.legendItems ?? 3) / 2) : 40,
  bottom: extra.bottom ?? 8,
  containLabel: true,
});

/** Branch index, weighted mean MQI and compliance, period by period. */
export function indexTrendOption(series: readonly SeriesPoint[], narrow: boolean): ChartOption {
  return {
    grid: gridFor(narrow),
    legend,
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: series.map((p) => periodTick(p.period.key)) },
    yAxis: { type: 'value', min: 0, max: 100 },
    series: [
      {
        type: 'line',
        name: t('dashboard.column.branchIndex'),
        data: series.map((p) => p.index),
        lineStyle: { width: 4 },
        symbolSize: 9,
        itemStyle: { color: '#b71c1c' },
        connectNulls: false,
      },
      {
        type: 'line',
        name: t('dashboard.column.meanMqi'),
        data: series.map((p) => p.meanMqi),
        lineStyle: { type: 'dashed' },
        itemStyle: { color: '#0969da' },
      },
      {
        type: 'line',
        name: t('dashboard.chart.compliance'),
        data: series.map((p) => percent(p.compliance)),
        lineStyle: { type: 'dotted' },
        itemStyle: { color: '#59636e' },
      },
    ],
  };
}

/** Each meeting's MQI as the points its components contributed, stacked, with the stored score. */
export function componentsOption(meetings: readonly MeetingFigure[], narrow: boolean): ChartOption {
  const keys = meetings[0]?.components.map((c) => c.key) ?? [];
  // The latest meetings first in view; a slider reaches back through the trend's range.
  const window = narrow ? 8 : 16;
  const many = meetings.length > window;
  return {
    grid: gridFor(narrow, { bottom: many ? 36 : 8, legendItems: keys.length + 1 }),
    legend,
    tooltip: {
      trigger: 'axis',
      formatter: (params: unknown) => {
        const list = params as Array<{
          dataIndex: number;
          seriesName: string;
          value: number | null;
          marker: string;
        }>;
        const meeting = meetings[list[0]?.dataIndex ?? 0];
        if (!meeting) return '';
        const rows = list
          .filter((p) => p.value !== null && p.value !== undefined)
          .map((p) => `${p.marker}${labelValue(p.seriesName, p.value!)}`);
        return [`<b>${escapeHtml(meeting.title)}</b>`, meeting.date, ...rows].join('<br>');
      },
    },
    xAxis: {
      type: 'category',
      data: meetings.map((m) => m.date.slice(2).replaceAll('-', '/')),
      axisLabel: { rotate: many ? 45 : 0 },
    },
    yAxis: { type: 'value', min: 0, max: 100 },
    dataZoom: many
      ? [{ type: 'slider', bottom: 4, height: 20, startValue: meetings.length - window }, { type: 'inside' }]
      : [],
    series: [
      ...keys.map((key): ChartOption['series'] => ({
        type: 'bar',
        stack: 'points',
        name: t(`quality.component.${key}`),
        itemStyle: { color: componentColours[key] },
        data: meetings.map((m) => m.components.find((c) => c.key === key)?.points ?? null),
        barMaxWidth: 36,
      })),
      {
        type: 'line',
        name: t('quality.index'),
        data: meetings.map((m) => m.score),
        itemStyle: { color: '#1f2328' },
        lineStyle: { width: 0 },
        symbol: 'diamond',
        symbolSize: 12,
      },
    ] as ChartOption['series'],
  };
}

/** Satisfaction by dimension (1–5), only the dimensions that may be shown. */
export function dimensionsOption(
  dimensions: ReadonlyArray<{ key: string; mean: SuppressedNumber }>,
): ChartOption {
  const visible = dimensions.filter((d) => !d.mean.suppressed);
  return {
    grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', min: 1, max: 5 },
    yAxis: { type: 'category', data: visible.map((d) => t(`dashboard.dimension.${d.key}`)), inverse: true },
    series: [
      {
        type: 'bar',
        name: t('dashboard.satisfaction.byDimension'),
        data: visible.map((d) => shown(d.mean)),
        itemStyle: { color: '#1a7f37' },
        barMaxWidth: 28,
        label: {
          show: true,
          position: 'right',
          formatter: (p: { value: unknown }) => meanText(Number(p.value)),
        },
      },
    ],
  };
}

/** Attendance, overall satisfaction and rectification on time, period by period, in percent. */
export function ratesOption(series: readonly SeriesPoint[], narrow: boolean): ChartOption {
  return {
    grid: gridFor(narrow),
    legend,
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: unknown) => (v === null || v === undefined ? '—' : `${v}%`),
    },
    xAxis: { type: 'category', data: series.map((p) => periodTick(p.period.key)) },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      {
        type: 'line',
        name: t('dashboard.chart.attendance'),
        data: series.map((p) => percent(p.attendanceRate)),
        itemStyle: { color: '#0969da' },
      },
      {
        type: 'line',
        name: t('dashboard.chart.satisfaction'),
        data: series.map((p) => percent(shown(p.satisfactionRate))),
        itemStyle: { color: '#1a7f37' },
        symbol: 'triangle',
      },
      {
        type: 'line',
        name: t('dashboard.chart.onTime'),
        data: series.map((p) => percent(p.onTimeRate)),
        itemStyle: { color: '#cf222e' },
        symbol: 'rect',
      },
    ],
  };
}

const positionColour = { above: '#1a7f37', below: '#cf222e', indistinguishable: '#8c959f' } as const;

/**
 * The committee's comparison as a forest plot: each branch's shrunk estimate with its 90% interval
 * and its own mean, against the committee mean — read as above, below or not clearly different,
 * never as a rank.
 */
export function comparisonOption(rows: readonly CommitteeBranchRow[], committeeMean: number): ChartOption {
  const compared = rows
    .filter((r) => r.comparison !== null)
    .sort((a, b) => a.comparison!.estimate - b.comparison!.estimate);
  const many = compared.length > 20;
  return {
    grid: { left: 8, right: many ? 48 : 24, top: 56, bottom: 8, containLabel: true },
    legend: { ...legend, data: [t('dashboard.chart.estimate'), t('dashboard.chart.ownMean')] },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const index = (params as Array<{ dataIndex: number }>)[0]?.dataIndex ?? 0;
        const row = compared[index];
        if (!row?.comparison) return '';
        const c = row.comparison;
        return [
          `<b>${escapeHtml(row.name)}</b>`,
          t('quality.comparison.interval', { estimate: c.estimate, lower: c.lower, upper: c.upper }),
          t('dashboard.chart.ownMeanOf', { mean: c.mean, n: c.n }),
          t(`quality.comparison.${c.position}`),
        ].join('<br>');
      },
    },
    xAxis: { type: 'value', min: 0, max: 100 },
    yAxis: {
      type: 'category',
      data: compared.map((r) => r.name),
      axisLabel: { width: 120, overflow: 'truncate' },
    },
    dataZoom: many
      ? [
          {
            type: 'slider',
            yAxisIndex: 0,
            right: 8,
            width: 18,
            startValue: Math.max(0, compared.length - 20),
          },
          { type: 'inside', yAxisIndex: 0 },
        ]
      : [],
    series: [
      {
        type: 'bar',
        stack: 'interval',
        data: compared.map((r) => r.comparison!.lower),
        itemStyle: { color: 'transparent' },
        tooltip: { show: false },
        silent: true,
      },
      {
        type: 'bar',
        stack: 'interval',
        name: t('dashboard.chart.interval'),
        data: compared.map((r) => ({
          value: Math.round(10 * (r.comparison!.upper - r.comparison!.lower)) / 10,
          itemStyle: { color: positionColour[r.comparison!.position], opacity: 0.35 },
        })),
        barMaxWidth: 14,
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: '#1f2328', type: 'dashed' },
          label: { formatter: t('dashboard.chart.committeeMean', { mean: committeeMean }) },
          data: [{ xAxis: committeeMean }],
        },
      },
      {
        type: 'scatter',
        name: t('dashboard.chart.estimate'),
        // The legend's swatch; each point is coloured by where its interval lies.
        itemStyle: { color: '#1f2328' },
        data: compared.map((r) => ({
          value: r.comparison!.estimate,
          itemStyle: { color: positionColour[r.comparison!.position] },
        })),
        symbolSize: 12,
      },
      {
        type: 'scatter',
        name: t('dashboard.chart.ownMean'),
        data: compared.map((r) => r.comparison!.mean),
        symbol: 'emptyCircle',
        symbolSize: 9,
        itemStyle: { color: '#59636e' },
      },
    ],
  };
}

/** Height for a chart with one row per branch, so names stay readable. */
export function comparisonHeight(rows: number): string {
  return `${Math.min(20, Math.max(3, rows)) * 30 + 80}px`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
