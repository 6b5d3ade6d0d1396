import * as echarts from 'echarts';
import type { Report } from './build-report.js';
import type { LinkGraph } from './link-graph.js';
import { printable, reportTables } from './render-report-text.js';
import type { TreeNode } from './tree-map.js';

const WIDTH = 960;

/** Text safe inside HTML elements and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A static SVG of one ECharts option, rendered server-side (no script in the page). */
function renderSvg(option: echarts.EChartsCoreOption, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height });
  try {
    chart.setOption({ animation: false, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Munin-style rate graph: attempts per minute, max and average per bucket. */
export function rateChartSvg(report: Report): string {
  const days = report.outbound.rates.days.length;
  const buckets = days > 3 ? report.outbound.rates.hours : report.outbound.rates.fiveMinutes;
  return renderSvg(
    {
      title: { text: `Outbound attempts per minute (${days > 3 ? 'hourly' : '5-minute'} max and average)`, textStyle: { fontSize: 14 } },
      legend: { data: ['max', 'avg'], right: 10 },
      grid: { left: 50, right: 20, top: 40, bottom: 40 },
      xAxis: { type: 'time' },
      yAxis: { type: 'value', name: 'per minute' },
      series: [
        { name: 'max', type: 'line', showSymbol: false, data: buckets.map((b) => [b.start, b.max]) },
        { name: 'avg', type: 'line', showSymbol: false, areaStyle: {}, data: buckets.map((b) => [b.start, b.avg]) },
      ],
    },
    320,
  );
}

/** Source IP → destination port → destination IP tree map. */
export function treeMapSvg(tree: readonly TreeNode[]): string {
  return renderSvg(
    {
      title: { text: 'Outbound attempts: source IP → destination port → destination IP', textStyle: { fontSize: 14 } },
      series: [
        {
          type: 'treemap',
          top: 35,
          roam: false,
          nodeClick: false,
          leafDepth: 3,
          breadcrumb: { show: false },
          label: { show: true, formatter: '{b}' },
          upperLabel: { show: true, height: 18 },
          levels: [{ itemStyle: { borderWidth: 2, gapWidth: 2 } }, { itemStyle: { borderWidth: 1, gapWidth: 1 } }, { colorSaturation: [0.3, 0.6] }],
          data: sanitiseTree(tree),
        },
      ],
    },
    560,
  );
}

/** The day's link graph, laid out in three columns: sources, ports, destinations. */
export function linkGraphSvg(graph: LinkGraph & { day: string }): string {
  const columns = { source: 0, port: 1, destination: 2 } as const;
  const byKind = { source: [] as string[], port: [] as string[], destination: [] as string[] };
  for (const n of graph.nodes) byKind[n.kind].push(n.id);
  const height = Math.max(300, Math.min(2400, Math.max(...Object.values(byKind).map((l) => l.length)) * 16 + 60));
  const maxValue = Math.max(1, ...graph.nodes.map((n) => n.value));
  return renderSvg(
    {
      title: { text: `Link graph for ${graph.day} (${graph.omitted} attempts below the thresholds left out)`, textStyle: { fontSize: 14 } },
      series: [
        {
          type: 'graph',
          layout: 'none',
          top: 40,
          bottom: 10,
          left: 120,
          right: 160,
          label: { show: true, fontSize: 10, position: 'right' },
          lineStyle: { opacity: 0.4, curveness: 0.1 },
          data: graph.nodes.map((n) => {
            const list = byKind[n.kind];
            return {
              id: n.id,
              name: printable(n.id),
              x: columns[n.kind] * 100,
              y: ((list.indexOf(n.id) + 1) / (list.length + 1)) * 100,
              symbolSize: 4 + 14 * Math.sqrt(n.value / maxValue),
              category: columns[n.kind],
            };
          }),
          categories: [{ name: 'source' }, { name: 'port' }, { name: 'destination' }],
          links: graph.edges.map((e) => ({ source: e.source, target: e.target, lineStyle: { width: Math.max(0.5, Math.log2(1 + e.value)) } })),
        },
      ],
    },
    height,
  );
}

/**
 * One self-contained HTML page: static SVG charts and the tables. No script,
 * and a CSP that forbids any; every attacker string is HTML-escaped (pure).
 */
export function renderReportHtml(report: Report): string {
  const parts: string[] = [];
  const peak = report.outbound.peakPerMinute;
  parts.push(
    `<p>${report.events} events, ${report.sessions} sessions, from ${escapeHtml(report.range.first ?? '-')} to ${escapeHtml(report.range.last ?? '-')}.`,
    ` ${report.outbound.attempts} outbound attempts from ${report.outbound.intruders} source IPs; busiest minute ${peak ? `${escapeHtml(peak.minute)} (${peak.attempts}/min)` : '-'}.</p>`,
  );
  if (report.outbound.attempts > 0) {
    parts.push(`<figure>${rateChartSvg(report)}</figure>`, `<figure>${treeMapSvg(report.outbound.treeMap)}</figure>`);
    if (report.outbound.linkGraph && report.outbound.linkGraph.nodes.length > 0) parts.push(`<figure>${linkGraphSvg(report.outbound.linkGraph)}</figure>`);
  }
  for (const table of reportTables(report)) {
    if (table.rows.length === 0) continue;
    parts.push(
      `<h2>${escapeHtml(table.title)}</h2><table><thead><tr>${table.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>`,
      ...table.rows.map((r) => `<tr>${r.map((c) => (typeof c === 'number' ? `<td class="n">${c}</td>` : `<td>${escapeHtml(printable(c))}</td>`)).join('')}</tr>`),
      '</tbody></table>',
    );
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Honeyscope report</title>
<style>body{font:14px sans-serif;margin:2em;max-width:${WIDTH}px}table{border-collapse:collapse;margin-bottom:1.5em}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;font-family:monospace;word-break:break-all}td.n{text-align:right}figure{margin:1em 0}</style>
</head><body>
<h1>Honeyscope report</h1>
<p>Generated ${escapeHtml(report.generatedAt)}${report.filter.sensor ? `, sensor ${escapeHtml(report.filter.sensor)}` : ''}${report.filter.since ? `, since ${escapeHtml(report.filter.since)}` : ''}${report.filter.until ? `, until ${escapeHtml(report.filter.until)}` : ''}.</p>
${parts.join('\n')}
</body></html>
`;
}

function sanitiseTree(nodes: readonly TreeNode[]): TreeNode[] {
  return nodes.map((n) => ({ name: printable(n.name), value: n.value, ...(n.children ? { children: sanitiseTree(n.children) } : {}) }));
}
