import { Hono } from 'hono';
import type { AlertLog } from '../alert-log.js';
import { intParam } from '../query-params.js';
import { tableResponse } from '../table-response.js';

export const DEFAULT_ALERT_LIMIT = 200;
export const MAX_ALERT_LIMIT = 5000;

/** The alerts of `honeyscope watch` (its JSONL alert log), newest first. */
export function alertRoutes(log: AlertLog): Hono {
  const app = new Hono();

  app.get('/alerts', async (c) => {
    const limit = intParam(c, 'limit', { fallback: DEFAULT_ALERT_LIMIT, min: 1, max: MAX_ALERT_LIMIT });
    const minLevel = intParam(c, 'level', { fallback: 0, min: 0, max: 15 });
    const result = await log.recent({ limit, minLevel });
    if (c.req.query('format') === 'csv') {
      return tableResponse(c, {
        name: 'alerts',
        rows: result.alerts,
        columns: [
          { header: 'time', value: (a) => a.timestamp },
          { header: 'level', value: (a) => a.rule.level },
          { header: 'rule_id', value: (a) => a.rule.id },
          { header: 'description', value: (a) => a.rule.description },
          { header: 'kind', value: (a) => a.kind },
          { header: 'src_ip', value: (a) => a.src_ip },
          { header: 'src_port', value: (a) => a.src_port },
          { header: 'dst_ip', value: (a) => a.dst_ip },
          { header: 'dst_port', value: (a) => a.dst_port },
          { header: 'indicator', value: (a) => a.indicator?.seen },
          { header: 'indicator_type', value: (a) => a.indicator?.type },
          { header: 'sources', value: (a) => a.indicator?.sources.join(' ') },
          { header: 'count', value: (a) => a.count },
          { header: 'log_file', value: (a) => a.log.file },
          { header: 'log_line', value: (a) => a.log.line },
        ],
      });
    }
    return c.json(result);
  });

  app.get('/alerts/count', async (c) => c.json({ alerts: await log.count() }));

  return app;
}
