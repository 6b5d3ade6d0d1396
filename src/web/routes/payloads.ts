import { Hono } from 'hono';
import type { DashboardData } from '../dashboard-data.js';
import { filterParams } from '../query-params.js';
import { tableResponse } from '../table-response.js';

/** What bots sent through their tunnels: EHLO greetings, HTTP requests, TLS server names. */
export function payloadRoutes(data: DashboardData): Hono {
  const app = new Hono();

  app.get('/payloads/ehlo', async (c) =>
    tableResponse(c, {
      name: 'ehlo',
      rows: await data.ehlo(filterParams(c)),
      columns: [
        { header: 'greeting', value: (r) => r.value },
        { header: 'count', value: (r) => r.count },
      ],
    }),
  );

  app.get('/payloads/http', async (c) =>
    tableResponse(c, {
      name: 'http-requests',
      rows: await data.httpRequests(filterParams(c)),
      columns: [
        { header: 'method', value: (r) => r.method },
        { header: 'host', value: (r) => r.host },
        { header: 'path', value: (r) => r.path },
        { header: 'category', value: (r) => r.category },
        { header: 'tells', value: (r) => r.tells.join(' ') },
        { header: 'headers', value: (r) => r.headers.map(([k, v]) => `${k}: ${v}`).join('\n') },
        { header: 'count', value: (r) => r.count },
      ],
    }),
  );

  app.get('/payloads/tls', async (c) =>
    tableResponse(c, {
      name: 'tls-sni',
      rows: await data.tlsNames(filterParams(c)),
      columns: [
        { header: 'server_name', value: (r) => r.value },
        { header: 'count', value: (r) => r.count },
      ],
    }),
  );

  return app;
}
