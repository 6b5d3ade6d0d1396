import * as echarts from 'echarts/core';
import { ToolboxComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption, ECharts } from 'echarts/core';
import { downloadBlob, h } from './dom';
import { live } from './live-charts';

// What every chart uses; each page registers its own chart types and components, so a page loads only those.
echarts.use([ToolboxComponent, TooltipComponent, CanvasRenderer]);

export { echarts };
export type { ECharts, EChartsCoreOption };

/** One palette for sources everywhere (tree map, rate graph, link graph). */
export const PALETTE = ['#5470c6', '#91cc75', '#fac858', '#ee6666', '#73c0de', '#3ba272', '#fc8452', '#9a60b4', '#ea7ccc', '#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#ff9da7'];

/**
 * Tooltip content as elements: ECharts puts a string formatter's result into
 * innerHTML, so data is only ever given as text nodes here.
 */
export function tooltipBox(title: string, rows: [string, string][]): HTMLElement {
  return h('div', { class: 'tip' }, h('div', { class: 'tip-title' }, title), ...rows.map(([k, v]) => h('div', { class: 'tip-row' }, h('span', { class: 'tip-key' }, k), ' ', h('b', {}, v))));
}

/** Shared tooltip settings: DOM content, confined (no arrow markup), no inline-styled extras. */
export function safeTooltip(formatter: (params: unknown) => HTMLElement): Record<string, unknown> {
  return { confine: true, formatter, className: 'chart-tip', renderMode: 'html', extraCssText: '' };
}

/** Writes the chart's current option into a throwaway SVG renderer (loaded on first use) and saves the SVG. */
async function saveSvg(chart: ECharts, name: string): Promise<void> {
  const { install } = await import('echarts/lib/renderer/installSVGRenderer.js');
  echarts.use(install);
  const width = chart.getWidth();
  const height = chart.getHeight();
  const ssr = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  const option = chart.getOption() as EChartsCoreOption & { toolbox?: unknown; dataZoom?: unknown };
  ssr.setOption({ ...option, animation: false, toolbox: { show: false } });
  const svg = ssr.renderToSVGString();
  ssr.dispose();
  downloadBlob(new Blob([svg], { type: 'image/svg+xml' }), `honeyscope-${name}.svg`);
}

/** Toolbox with PNG and SVG downloads (and anything extra a chart adds). */
export function toolbox(name: string, chartRef: () => ECharts | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    right: 8,
    feature: {
      ...extra,
      saveAsImage: { name: `honeyscope-${name}`, title: 'PNG', pixelRatio: 2, backgroundColor: '#ffffff' },
      mySvg: {
        show: true,
        title: 'SVG',
        icon: 'path://M4 4h16v16H4z M8 12h8 M12 8v8',
        onclick: () => {
          const chart = chartRef();
          if (chart) void saveSvg(chart, name);
        },
      },
    },
  };
}

/** Creates (or replaces) the named chart in `container`. */
export function createChart(name: string, container: HTMLElement): ECharts {
  live.get(name)?.dispose();
  const chart = echarts.init(container, null, { renderer: 'canvas' });
  live.set(name, chart);
  if (window.__honeyscopeTest) window.__charts = Object.fromEntries(live);
  return chart;
}

window.addEventListener('resize', () => {
  for (const chart of live.values()) chart.resize();
});
