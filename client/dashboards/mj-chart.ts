import {
  BarChart,
  type BarSeriesOption,
  LineChart,
  type LineSeriesOption,
  ScatterChart,
  type ScatterSeriesOption,
} from 'echarts/charts';
import {
  DataZoomComponent,
  type DataZoomComponentOption,
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  MarkLineComponent,
  type MarkLineComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from 'echarts/components';
import { type ComposeOption, type EChartsType, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';

/**
 * A chart drawn by Apache ECharts — only the chart and component types the dashboards use, so the
 * dashboard chunk stays small; the whole module loads with the dashboard pages and never on a
 * member's meeting screen. The chart follows its box (phone, laptop, projector) and scales its
 * lettering with it; for screen readers it is an image with a summary, next to the same figures
 * in text on the page.
 */
use([
  BarChart,
  LineChart,
  ScatterChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkLineComponent,
  DataZoomComponent,
  CanvasRenderer,
]);

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | ScatterSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | DataZoomComponentOption
>;

/** Lettering by width: small on a 360-px phone, large enough to read from the back on a projector. */
function fontSizeFor(width: number): number {
  if (width < 480) return 12;
  if (width > 1400) return 18;
  return 14;
}

@customElement('mj-chart')
export class MjChart extends LitElement {
  static override styles = css`
    :host { display: block; }
    .canvas { width: 100%; height: var(--mj-chart-height, 300px); }
  `;

  @property({ attribute: false }) option?: ChartOption;
  /** What the chart shows, for screen readers. */
  @property() label = '';

  private chart?: EChartsType;
  private observer?: ResizeObserver;
  private fontSize = 0;

  override render() {
    return html`<div class="canvas" role="img" aria-label=${this.label}></div>`;
  }

  override connectedCallback() {
    super.connectedCallback();
    // Moved elsewhere in the page: draw again on the canvas kept in the shadow root.
    if (this.hasUpdated && !this.chart) this.firstUpdated();
  }

  override firstUpdated() {
    const box = this.renderRoot.querySelector<HTMLDivElement>('.canvas')!;
    this.chart = init(box, undefined, { renderer: 'canvas' });
    this.observer = new ResizeObserver(() => {
      if (fontSizeFor(box.clientWidth) !== this.fontSize) this.draw();
      this.chart?.resize();
    });
    this.observer.observe(box);
    this.draw();
  }

  override updated(changed: Map<string, unknown>) {
    if (changed.has('option') && this.chart) this.draw();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.chart?.dispose();
    this.chart = undefined;
  }

  private draw() {
    if (!this.chart || !this.option) return;
    const box = this.renderRoot.querySelector<HTMLDivElement>('.canvas')!;
    this.fontSize = fontSizeFor(box.clientWidth);
    this.chart.setOption(
      {
        textStyle: { fontSize: this.fontSize, fontFamily: getComputedStyle(this).fontFamily },
        animation: false,
        ...this.option,
      },
      true,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-chart': MjChart;
  }
}
