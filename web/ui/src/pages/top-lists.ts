import { BarChart } from 'echarts/charts';
import { GridComponent } from 'echarts/components';
import { getJson, type Params } from '../api';
import { echarts, createChart, safeTooltip, toolbox, tooltipBox, type ECharts } from '../charts';
import { clear, formatNumber, h } from '../dom';
import { csvButton, panel, table } from '../table';
import type { CountRow, CredentialRow } from '../types';
import type { Page } from './page';

echarts.use([BarChart, GridComponent]);

function barOption(name: string, labels: string[], values: number[], chartRef: () => ECharts | undefined): Record<string, unknown> {
  return {
    animation: false,
    toolbox: toolbox(name, chartRef),
    grid: { left: 160, right: 24, top: 32, bottom: 24 },
    tooltip: safeTooltip((params) => {
      const p = params as { name: string; value: number };
      return tooltipBox(p.name, [['count', formatNumber(p.value)]]);
    }),
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: labels, axisLabel: { width: 150, overflow: 'truncate' } },
    series: [{ type: 'bar', data: values, itemStyle: { color: '#5470c6' } }],
  };
}

export const topListsPage: Page = async (root) => {
  const since = h('input', { type: 'datetime-local', name: 'since' });
  const until = h('input', { type: 'datetime-local', name: 'until' });
  const params = (): Params => ({ since: since.value ? `${since.value}Z` : undefined, until: until.value ? `${until.value}Z` : undefined, limit: 100 });
  const credBox = h('div', { id: 'credentials' });
  const cmdBox = h('div', { id: 'commands' });
  const credChart = h('div', { class: 'chart', id: 'credentials-chart' });
  const cmdChart = h('div', { class: 'chart', id: 'commands-chart' });
  let c1: ECharts | undefined;
  let c2: ECharts | undefined;

  async function load(): Promise<void> {
    const [creds, cmds] = await Promise.all([getJson<CredentialRow[]>('credentials', params()), getJson<CountRow[]>('commands', params())]);
    clear(credBox);
    credBox.append(table([
      { header: 'username', cell: (r: CredentialRow) => r.username },
      { header: 'password', cell: (r) => r.password },
      { header: 'attempts', cell: (r) => formatNumber(r.attempts), numeric: true },
      { header: 'accepted', cell: (r) => formatNumber(r.successes), numeric: true },
    ], creds));
    clear(cmdBox);
    cmdBox.append(table([
      { header: 'command', cell: (r: CountRow) => h('code', {}, r.value) },
      { header: 'count', cell: (r) => formatNumber(r.count), numeric: true },
    ], cmds));
    const topCreds = creds.slice(0, 15);
    c1 ??= createChart('credentials', credChart);
    c1.setOption(barOption('credentials', topCreds.map((r) => `${r.username} / ${r.password}`), topCreds.map((r) => r.attempts), () => c1), { notMerge: true });
    const topCmds = cmds.slice(0, 15);
    c2 ??= createChart('commands', cmdChart);
    c2.setOption(barOption('commands', topCmds.map((r) => r.value), topCmds.map((r) => r.count), () => c2), { notMerge: true });
  }

  root.append(
    h('form', { class: 'filters', on: { submit: (e) => { e.preventDefault(); void load(); } } }, h('label', { class: 'field' }, h('span', {}, 'since (UTC)'), since), h('label', { class: 'field' }, h('span', {}, 'until (UTC)'), until), h('button', { type: 'submit' }, 'Apply')),
    panel('Top credentials', [csvButton('credentials', params, 'credentials')], credChart, credBox),
    panel('Top commands', [csvButton('commands', params, 'commands')], cmdChart, cmdBox),
  );
  await load();
};
