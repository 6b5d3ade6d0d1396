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
/** After a live event, the counters are asked for again once this has passed (the server's answer cache lives as long). */
const COUNTERS_REFRESH_MS = 3000;

/** The counters: element id, label, value. */
const COUNTERS: ReadonlyArray<[string, string, (o: Overview, alerts: number | null) => number | string]> = [
  ['c-events', 'events', (o) => o.events],
  ['c-sessions', 'sessions', (o) => o.sessions],
  ['c-sources', 'source IPs', (o) => o.sources],
  ['c-attempts', 'outbound attempts', (o) => o.attempts],
  ['c-outbound-sources', 'IPs trying outbound', (o) => o.outboundSources],
  ['c-logins', 'logins ok / failed', (o) => `${formatNumber(o.loginsSucceeded)} / ${formatNumber(o.loginsFailed)}`],
  ['c-downloads', 'downloads', (o) => o.downloads],
  ['c-alerts', 'alerts', (_, alerts) => alerts ?? '—'],
];

function counterText(value: number | string): string {
  return typeof value === 'number' ? formatNumber(value) : value;
}

function rangeText(o: Overview): string {
  return `Data from ${formatTime(o.firstEvent)} to ${formatTime(o.lastEvent)} UTC${o.sensors.length ? ` · sensors: ${o.sensors.join(', ')}` : ''}`;
}

function alertCount(): Promise<number | null> {
  // The alert log is optional: without it the counter shows a dash, the page still loads.
  return getJson<{ alerts: number }>('alerts/count').then((r) => r.alerts, () => null);
}

function counter(label: string, value: number | string, id: string): HTMLElement {
  return h('div', { class: 'counter', id }, h('div', { class: 'counter-value' }, counterText(value)), h('div', { class: 'counter-label' }, label));
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
  const [overview, firstRates, alerts] = await Promise.all([getJson<Overview>('overview'), getJson<RateSeries>('rates', { view: 'day' }), alertCount()]);
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
  const counters = h('section', { class: 'counters' }, ...COUNTERS.map(([id, label, value]) => counter(label, value(overview, alerts), id)));
  const range = h('p', { class: 'range' }, rangeText(overview));
  root.append(
    counters,
    range,
    panel('Outbound attempts over time', [viewButtons, csvButton('rates', () => ({ view, end }), `rates-${view}`)], chartBox),
    panel('Live feed', [], feedBox),
  );
  await drawRates(firstRates);
  performance.mark('honeyscope:paint:overview');
  // Live events change the counters: they are asked for again, at most once per COUNTERS_REFRESH_MS.
  let pending: number | undefined;
  async function refreshCounters(): Promise<void> {
    pending = undefined;
    const [o, a] = await Promise.all([getJson<Overview>('overview'), alertCount()]);
    for (const [id, , value] of COUNTERS) {
      const el = counters.querySelector(`#${id} .counter-value`);
      if (el) el.textContent = counterText(value(o, a));
    }
    range.textContent = rangeText(o);
  }
  const feed = liveFeed(await recent, () => {
    // A failed refresh keeps the counters shown; the next event asks again.
    pending ??= window.setTimeout(() => void refreshCounters().catch(() => undefined), COUNTERS_REFRESH_MS);
  });
  feedBox.append(feed.element);
  return () => {
    window.clearTimeout(pending);
    feed.stop();
  };
};
