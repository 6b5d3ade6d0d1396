import { Hono } from 'hono';
import type { DashboardData, TreeNode } from '../dashboard-data.js';
import { dayParam, filterParams, intParam, QueryParamError } from '../query-params.js';
import { tableResponse } from '../table-response.js';

interface TreeRow {
  source: string;
  port: string;
  destination: string;
  attempts: number;
}

function flattenTree(root: TreeNode): TreeRow[] {
  const rows: TreeRow[] = [];
  for (const src of root.children ?? []) {
    for (const port of src.children ?? []) {
      for (const dst of port.children ?? []) rows.push({ source: src.name, port: port.name, destination: dst.name, attempts: dst.value });
    }
  }
  return rows;
}

export const DEFAULT_TOP = 20;

/** Tree map, link graph and the days that have attempts. */
export function outboundRoutes(data: DashboardData): Hono {
  const app = new Hono();

  app.get('/outbound/tree', async (c) => {
    const port = intParam(c, 'port', { fallback: 0, min: 0, max: 65535 });
    const tree = await data.tree({
      ...filterParams(c),
      ...(port > 0 ? { port } : {}),
      top: intParam(c, 'top', { fallback: DEFAULT_TOP, min: 1, max: 500 }),
    });
    if (c.req.query('format') === 'csv') {
      return tableResponse(c, {
        name: 'outbound-tree',
        rows: flattenTree(tree),
        columns: [
          { header: 'source_ip', value: (r) => r.source },
          { header: 'dst_port', value: (r) => r.port },
          { header: 'dst_ip', value: (r) => r.destination },
          { header: 'attempts', value: (r) => r.attempts },
        ],
      });
    }
    return c.json(tree);
  });

  app.get('/outbound/days', async (c) => c.json(await data.outboundDays(filterParams(c))));

  app.get('/outbound/graph', async (c) => {
    const day = dayParam(c, 'day');
    if (!day) throw new QueryParamError('Missing "day": expected a day as YYYY-MM-DD');
    const sensor = c.req.query('sensor');
    const graph = await data.linkGraph({
      day,
      ...(sensor ? { sensor } : {}),
      minAttempts: intParam(c, 'min', { fallback: 1, min: 1, max: 1_000_000 }),
      maxEdges: intParam(c, 'edges', { fallback: 200, min: 1, max: 2000 }),
    });
    if (c.req.query('format') === 'csv') {
      return tableResponse(c, {
        name: `link-graph-${day}`,
        rows: graph.edges,
        columns: [
          { header: 'source', value: (e) => e.source },
          { header: 'target', value: (e) => e.target },
          { header: 'attempts', value: (e) => e.weight },
        ],
      });
    }
    return c.json(graph);
  });

  return app;
}
