import { Hono } from 'hono';
import type { DashboardData } from '../dashboard-data.js';
import { filterParams, intParam } from '../query-params.js';
import { tableResponse } from '../table-response.js';

export const DEFAULT_LIST_LIMIT = 100;

/** Top credentials and commands over a time range. */
export function topListRoutes(data: DashboardData): Hono {
  const app = new Hono();

  app.get('/credentials', async (c) =>
    tableResponse(c, {
      name: 'credentials',
      rows: await data.credentials({ ...filterParams(c), limit: intParam(c, 'limit', { fallback: DEFAULT_LIST_LIMIT, min: 1, max: 10_000 }) }),
      columns: [
        { header: 'username', value: (r) => r.username },
        { header: 'password', value: (r) => r.password },
        { header: 'attempts', value: (r) => r.attempts },
        { header: 'successes', value: (r) => r.successes },
      ],
    }),
  );

  app.get('/commands', async (c) =>
    tableResponse(c, {
      name: 'commands',
      rows: await data.commands({ ...filterParams(c), limit: intParam(c, 'limit', { fallback: DEFAULT_LIST_LIMIT, min: 1, max: 10_000 }) }),
      columns: [
        { header: 'command', value: (r) => r.value },
        { header: 'count', value: (r) => r.count },
      ],
    }),
  );

  return app;
}
