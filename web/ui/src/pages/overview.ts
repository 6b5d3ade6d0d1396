import { LineChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent } from 'echarts/components';
import { getJson } from '../api';
import { echarts, createChart, PALETTE, safeTooltip, toolbox, tooltipBox, type ECharts } from '../charts';
import { clear, formatNumber, formatTime, h } from '../dom';
import { liveFeed } from '../feed';
import { csvButton, panel } from '../table';
import type { FeedEvent, Overview, RateSeries } from '../types';
import type { Page } from './page';

echarts.use([LineChart, DataZoomComponent, GridComponent, LegendComponent]);

const VIEWS = ['day', 'week', 'month', 'year'] as const;

function counter(label: string, value: number | string, id: string): HTMLElement {
  return h('div', { class: 'counter', id }, h('div', { class: 'counter-value' }, typeof value === 'number' ? formatNumber(value) : value), h('div', { class: 'counter-label' }, label));
}

function rateOption(series: RateSeries, chartRef: () => ECharts | undefined): Record<string, unknown> {
  const toPoints = (points: RateSeries['total']) => points.map((p) => [p.t, p.attempts]);
  return {
    animation: false,
    color: PALETTE,
    grid: { left: 56, right: 24, top: 48, bottom: 72 },
    legend: { top: 4, left: 8, type: 'scroll', right: 120 },
    toolbox: toolbox(`rate-${series.view}`, chartRef, { dataZoom: { yAxisIndex: 'none', title: { zoom: 'Zoom', back: 'Undo zoom' } }, restore: { title: 'Reset' } }),
    tooltip: {
      trigger: 'axis',
      ...safeTooltip((params) => {
        const list = params as { axisValue: number | string; seriesName: string; value: [string, number] }[];
        const first = list[0];
        return tooltipBox(first ? formatTime(new Date(first.value[0]).toISOString()) : '', list.filter((p) => p.value[1] > 0 || p.seriesName === 'all sources').map((p) => [p.seriesName, formatNumber(p.value[1])]));
      }),
    },
    xAxis: { type: 'time' },
    yAxis: { type: 'value', name: `attempts / ${series.step}`, minInterval: 1 },
    dataZoom: [{ type: 'inside' }, { type: 'slider', bottom: 16 }],
    series: [
      ...series.bySource.map((s) => ({ name: s.source, type: 'line', stack: 'src', areaStyle: { opacity: 0.6 }, symbol: 'none', step: 'end', lineStyle: { width: 0 }, data: toPoints(s.points) })),
      { name: 'all sources', type: 'line', symbol: 'none', step: 'end', lineStyle: { width: 1.5, color: '#333' }, itemStyle: { color: '#333' }, data: toPoints(series.total) },
    ],
  };
}

export const overviewPage: Page = async (root) => {
  // Both at once: the rate graph ends at the newest event by default, so it does not wait for the counters.
  // The feed's backlog comes after the first paint.
  const recent = getJson<FeedEvent[]>('events/recent', { limit: 50 });
  // The alert log is optional: without it the counter shows a dash, the page still loads.
  const alertCount = getJson<{ alerts: number }>('alerts/count').then((r) => r.alerts, () => null);
  const [overview, firstRates, alerts] = await Promise.all([getJson<Overview>('overview'), getJson<RateSeries>('rates', { view: 'day' }), alertCount]);
  const end = overview.lastEvent ?? new Date().toISOString();
  let view: (typeof VIEWS)[number] = 'day';

  const chartBox = h('div', { class: 'chart', id: 'rate-chart' });
  const viewButtons = h('div', { class: 'views' });
  let chart: ECharts | undefined;

  async function drawRates(preloaded?: RateSeries): Promise<void> {
    const series = preloaded ?? (await getJson<RateSeries>('rates', { view, end }));
    chart ??= createChart('rates', chartBox);
    chart.setOption(rateOption(series, () => chart), { notMerge: true });
    clear(viewButtons);
    for (const v of VIEWS) viewButtons.append(h('button', { type: 'button', class: v === view ? 'active' : '', dataset: { view: v }, on: { click: () => { view = v; void drawRates(); } } }, v));
  }

  const feedBox = h('div', { id: 'feed-box' });
  root.append(
    h(
      'section',
      { class: 'counters' },
      counter('events', overview.events, 'c-events'),
      counter('sessions', overview.sessions, 'c-sessions'),
      counter('source IPs', overview.sources, 'c-sources'),
      counter('outbound attempts', overview.attempts, 'c-attempts'),
      counter('IPs trying outbound', overview.outboundSources, 'c-outbound-sources'),
      counter('logins ok / failed', `${formatNumber(overview.loginsSucceeded)} / ${formatNumber(overview.loginsFailed)}`, 'c-logins'),
      counter('downloads', overview.downloads, 'c-downloads'),
      counter('alerts', alerts ?? '—', 'c-alerts'),
    ),
    h('p', { class: 'range' }, `Data from ${formatTime(overview.firstEvent)} to ${formatTime(overview.lastEvent)} UTC`, overview.sensors.length ? ` · sensors: ${overview.sensors.join(', ')}` : ''),
    panel('Outbound attempts over time', [viewButtons, csvButton('rates', () => ({ view, end }), `rates-${view}`)], chartBox),
    panel('Live feed', [], feedBox),
  );
  await drawRates(firstRates);
  performance.mark('honeyscope:paint:overview');
  const feed = liveFeed(await recent);
  feedBox.append(feed.element);
  return feed.stop;
};
