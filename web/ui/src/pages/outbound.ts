import { GraphChart, TreemapChart } from 'echarts/charts';
import { LegendComponent } from 'echarts/components';
import { getJson, type Params } from '../api';
import { echarts, createChart, PALETTE, safeTooltip, toolbox, tooltipBox, type ECharts } from '../charts';
import { clear, formatNumber, h } from '../dom';
import { csvButton, NO_DATA, panel, table } from '../table';
import type { CountRow, HttpRequestRow, LinkGraph, TreeNode } from '../types';
import type { Page } from './page';

echarts.use([GraphChart, TreemapChart, LegendComponent]);

interface TreeItem {
  name: string;
  value: number;
  path: string;
  itemStyle?: { color: string };
  children?: TreeItem[];
}

/** Gives each source its own colour; its ports and destinations take shades of it. */
function treeItems(root: TreeNode): TreeItem[] {
  return (root.children ?? []).map((src, i) => ({
    ...withPath(src, ''),
    itemStyle: { color: src.other ? '#999999' : (PALETTE[i % PALETTE.length] ?? '#5470c6') },
  }));
}

function withPath(node: TreeNode, parent: string): TreeItem {
  const path = parent ? `${parent} › ${node.name}` : node.name;
  const item: TreeItem = { name: node.name, value: node.value, path };
  if (node.children && node.children.length > 0) item.children = node.children.map((c) => withPath(c, path));
  return item;
}

function treeOption(root: TreeNode, chartRef: () => ECharts | undefined): Record<string, unknown> {
  return {
    animation: false,
    toolbox: toolbox('outbound-treemap', chartRef),
    tooltip: safeTooltip((params) => {
      const p = params as { data?: TreeItem; value: number; name: string };
      return tooltipBox(p.data?.path ?? p.name, [['attempts', formatNumber(Number(p.value))]]);
    }),
    series: [
      {
        type: 'treemap',
        name: 'all sources',
        id: 'outbound-tree',
        data: treeItems(root),
        leafDepth: 1,
        roam: false,
        nodeClick: 'zoomToNode',
        // A short zoom transition: drilling down should feel immediate.
        animationDurationUpdate: 300,
        top: 40,
        bottom: 40,
        left: 8,
        right: 8,
        breadcrumb: { show: true, bottom: 8, emptyItemWidth: 40 },
        // Labels only where they fit: ECharts hides text overflowing a rectangle.
        label: {
          show: true,
          position: 'insideTopLeft',
          overflow: 'truncate',
          lineHeight: 16,
          formatter: (p: { name: string; value: number }) => `${p.name}\n${formatNumber(Number(p.value))}`,
        },
        upperLabel: { show: true, height: 22, formatter: (p: { name: string; value: number }) => `${p.name}: ${formatNumber(Number(p.value))}` },
        levels: [
          { itemStyle: { borderColor: '#fff', borderWidth: 2, gapWidth: 2 } },
          { colorSaturation: [0.35, 0.6], itemStyle: { borderColorSaturation: 0.7, gapWidth: 1, borderWidth: 1 } },
          { colorSaturation: [0.3, 0.55], itemStyle: { borderColorSaturation: 0.6, gapWidth: 1 } },
        ],
      },
    ],
  };
}

const NODE_COLOURS = { source: '#d62728', port: '#2ca02c', destination: '#1f77b4' } as const;

function graphOption(graph: LinkGraph, chartRef: () => ECharts | undefined): Record<string, unknown> {
  const nodes = new Map<string, { name: string; category: number; weight: number }>();
  function node(name: string, category: number, weight: number): void {
    const n = nodes.get(name);
    if (n) n.weight += weight;
    else nodes.set(name, { name, category, weight });
  }
  for (const e of graph.edges) {
    const fromPort = e.source.startsWith('port ');
    node(e.source, fromPort ? 1 : 0, e.weight);
    node(e.target, fromPort ? 2 : 1, e.weight);
  }
  const max = Math.max(1, ...[...nodes.values()].map((n) => n.weight));
  return {
    animation: false,
    toolbox: toolbox(`link-graph-${graph.day}`, chartRef),
    legend: { data: ['source IP', 'destination port', 'destination IP'], top: 4, left: 8 },
    tooltip: safeTooltip((params) => {
      const p = params as { dataType: string; data: { name?: string; source?: string; target?: string; value?: number; weight?: number } };
      if (p.dataType === 'edge') return tooltipBox(`${p.data.source ?? ''} → ${p.data.target ?? ''}`, [['attempts', formatNumber(p.data.value ?? 0)]]);
      return tooltipBox(p.data.name ?? '', [['attempts', formatNumber(p.data.weight ?? 0)]]);
    }),
    series: [
      {
        type: 'graph',
        layout: 'force',
        roam: true,
        draggable: true,
        top: 40,
        categories: [
          { name: 'source IP', itemStyle: { color: NODE_COLOURS.source } },
          { name: 'destination port', itemStyle: { color: NODE_COLOURS.port } },
          { name: 'destination IP', itemStyle: { color: NODE_COLOURS.destination } },
        ],
        force: { repulsion: 120, edgeLength: [30, 90], gravity: 0.08, layoutAnimation: false },
        label: { show: true, position: 'right', fontSize: 10, formatter: (p: { name: string }) => p.name },
        labelLayout: { hideOverlap: true },
        lineStyle: { color: 'source', opacity: 0.5, curveness: 0.1 },
        edgeSymbol: ['none', 'arrow'],
        edgeSymbolSize: 5,
        data: [...nodes.values()].map((n) => ({ ...n, symbolSize: 6 + 24 * Math.sqrt(n.weight / max) })),
        links: graph.edges.map((e) => ({ source: e.source, target: e.target, value: e.weight, lineStyle: { width: 0.5 + 4 * Math.sqrt(e.weight / max) } })),
      },
    ],
  };
}

function field(label: string, input: HTMLElement): HTMLElement {
  return h('label', { class: 'field' }, h('span', {}, label), input);
}

/** A chart's box and the note shown instead when there is nothing to draw or the request was refused. */
interface ChartSlot {
  name: string;
  box: HTMLElement;
  note: HTMLElement;
  chart?: ECharts;
}

function chartSlot(name: string, id: string): ChartSlot {
  const note = h('p', { id: `${id}-note`, class: 'chart-note' });
  note.hidden = true;
  return { name, box: h('div', { class: 'chart tall', id }), note };
}

/** Puts a message in place of the chart, cleared: after an empty or refused request, the old chart must not pass for the answer. */
function showNote(slot: ChartSlot, kind: 'empty' | 'error', message: string): void {
  slot.chart?.clear();
  slot.box.hidden = true;
  slot.note.hidden = false;
  slot.note.className = `chart-note ${kind}`;
  slot.note.textContent = message;
}

/** Shows the chart (created on first use), sized again: its box may have been hidden when the window last resized. */
function showChart(slot: ChartSlot): ECharts {
  slot.note.hidden = true;
  slot.box.hidden = false;
  slot.chart ??= createChart(slot.name, slot.box);
  slot.chart.resize();
  return slot.chart;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function tells(row: HttpRequestRow): HTMLElement {
  return h('span', {}, ...row.tells.map((t) => h('span', { class: 'tell' }, t)));
}

function headerList(row: HttpRequestRow): HTMLElement {
  return h('pre', { class: 'headers' }, row.headers.map(([k, v]) => `${k}: ${v}`).join('\n'));
}

export const outboundPage: Page = async (root) => {
  const since = h('input', { type: 'datetime-local', name: 'since' });
  const until = h('input', { type: 'datetime-local', name: 'until' });
  const sensor = h('input', { type: 'text', name: 'sensor', placeholder: 'all' });
  const port = h('input', { type: 'number', name: 'port', placeholder: 'all', min: '0', max: '65535' });
  const top = h('input', { type: 'number', name: 'top', value: '20', min: '1', max: '500' });
  const filters = (): Params => ({
    since: since.value ? `${since.value}Z` : undefined,
    until: until.value ? `${until.value}Z` : undefined,
    sensor: sensor.value.trim() || undefined,
  });
  const treeParams = (): Params => ({ ...filters(), port: port.value || undefined, top: top.value || undefined });

  const tree = chartSlot('treemap', 'treemap');
  const graph = chartSlot('graph', 'link-graph');
  const day = h('select', { name: 'day', id: 'graph-day' });
  const minAttempts = h('input', { type: 'number', name: 'min', value: '1', min: '1' });
  const maxEdges = h('input', { type: 'number', name: 'edges', value: '150', min: '1', max: '2000' });
  const graphParams = (): Params => ({ day: day.value, sensor: sensor.value.trim() || undefined, min: minAttempts.value, edges: maxEdges.value });
  const ehloBox = h('div', { id: 'ehlo' });
  const httpBox = h('div', { id: 'http' });
  const tlsBox = h('div', { id: 'tls' });

  async function drawTree(): Promise<void> {
    let root: TreeNode;
    try {
      root = await getJson<TreeNode>('outbound/tree', treeParams());
    } catch (err) {
      showNote(tree, 'error', errorMessage(err));
      return;
    }
    if (!root.children?.length) {
      showNote(tree, 'empty', NO_DATA);
      return;
    }
    showChart(tree).setOption(treeOption(root, () => tree.chart), { notMerge: true });
    performance.mark('honeyscope:paint:outbound');
  }

  async function drawGraph(): Promise<void> {
    if (!day.value) {
      showNote(graph, 'empty', NO_DATA);
      return;
    }
    let links: LinkGraph;
    try {
      links = await getJson<LinkGraph>('outbound/graph', graphParams());
    } catch (err) {
      showNote(graph, 'error', errorMessage(err));
      return;
    }
    if (links.edges.length === 0) {
      showNote(graph, 'empty', NO_DATA);
      return;
    }
    showChart(graph).setOption(graphOption(links, () => graph.chart), { notMerge: true });
  }

  async function drawPayloads(): Promise<void> {
    let ehlo: CountRow[], http: HttpRequestRow[], tls: CountRow[];
    try {
      [ehlo, http, tls] = await Promise.all([
        getJson<CountRow[]>('payloads/ehlo', filters()),
        getJson<HttpRequestRow[]>('payloads/http', filters()),
        getJson<CountRow[]>('payloads/tls', filters()),
      ]);
    } catch (err) {
      // Old rows would pass for the answer to the new filters.
      for (const box of [ehloBox, httpBox, tlsBox]) {
        clear(box);
        box.append(h('p', { class: 'error' }, errorMessage(err)));
      }
      return;
    }
    clear(ehloBox);
    ehloBox.append(table([{ header: 'EHLO greeting', cell: (r: CountRow) => r.value }, { header: 'count', cell: (r) => formatNumber(r.count), numeric: true }], ehlo));
    clear(httpBox);
    httpBox.append(
      table(
        [
          { header: 'method', cell: (r: HttpRequestRow) => r.method },
          { header: 'host', cell: (r) => r.host },
          { header: 'path', cell: (r) => h('span', { class: 'wrap' }, r.path) },
          { header: 'category', cell: (r) => h('span', { class: `cat cat-${r.category.replace(/[^a-z-]/g, '')}` }, r.category) },
          { header: 'tells', cell: tells },
          { header: 'headers (one request)', cell: headerList },
          { header: 'count', cell: (r) => formatNumber(r.count), numeric: true },
        ],
        http,
      ),
    );
    clear(tlsBox);
    tlsBox.append(table([{ header: 'TLS server name (SNI)', cell: (r: CountRow) => r.value }, { header: 'count', cell: (r) => formatNumber(r.count), numeric: true }], tls));
  }

  async function refresh(): Promise<void> {
    await Promise.all([drawTree(), drawPayloads()]);
  }

  const apply = h('button', { type: 'button', id: 'apply-filters', on: { click: () => void refresh() } }, 'Apply');
  const drawButton = h('button', { type: 'button', id: 'draw-graph', on: { click: () => void drawGraph() } }, 'Draw');
  // Port and top N narrow the tree map only (the payload lists cannot be filtered by port), so they sit in its panel.
  const treeTools = h(
    'form',
    { class: 'tools', id: 'tree-filters', on: { submit: (e) => { e.preventDefault(); void drawTree(); } } },
    field('port', port),
    field('top N per level', top),
    h('button', { type: 'submit', id: 'draw-tree' }, 'Draw'),
  );
  // The API's message is shown under the fields, as for the link graph; the browser's own check would only show a passing bubble.
  treeTools.noValidate = true;
  root.append(
    h('form', { class: 'filters', on: { submit: (e) => { e.preventDefault(); void refresh(); } } }, field('since (UTC)', since), field('until (UTC)', until), field('sensor', sensor), apply),
    panel('Outbound attempts: source IP → destination port → destination IP', [treeTools, csvButton('outbound/tree', treeParams, 'outbound-tree')], tree.note, h('p', { class: 'hint' }, 'Click a rectangle to drill down; the breadcrumb below goes back.'), tree.box),
    panel('Link graph for one day', [field('day', day), field('min attempts', minAttempts), field('max edges', maxEdges), drawButton, csvButton('outbound/graph', graphParams, 'link-graph')], graph.note, graph.box),
    panel('SMTP: EHLO greetings', [csvButton('payloads/ehlo', filters, 'ehlo')], ehloBox),
    panel('HTTP requests', [csvButton('payloads/http', filters, 'http-requests')], httpBox),
    panel('TLS server names', [csvButton('payloads/tls', filters, 'tls-sni')], tlsBox),
  );
  // The tree map and tables do not wait for the day list the link graph needs.
  const first = refresh();
  const days = await getJson<string[]>('outbound/days');
  for (const d of days) day.append(h('option', { value: d }, d));
  await Promise.all([first, drawGraph()]);
};
