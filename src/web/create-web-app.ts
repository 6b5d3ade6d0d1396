import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { alertLogPath } from '../alerts/create-alert-sinks.js';
import type { ResolvedConfig } from '../config/schema.js';
import type { EventDispatcher } from '../events/dispatcher.js';
import { errorMessage } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { createAlertLog } from './alert-log.js';
import { apiAuth } from './api-auth.js';
import type { DashboardData } from './dashboard-data.js';
import { createLiveFeed, type LiveFeed } from './live-feed.js';
import { QueryParamError } from './query-params.js';
import { alertRoutes } from './routes/alerts.js';
import { eventRoutes } from './routes/events.js';
import { outboundRoutes } from './routes/outbound.js';
import { overviewRoutes } from './routes/overview.js';
import { payloadRoutes } from './routes/payloads.js';
import { sessionRoutes } from './routes/sessions.js';
import { topListRoutes } from './routes/top-lists.js';
import { securityHeaders } from './security-headers.js';

/** web/dist beside src/ or dist/: where `npm run build:ui` writes the frontend. */
export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

export interface WebAppOptions {
  data: DashboardData;
  config: ResolvedConfig;
  logger: Logger;
  /** The sensor's dispatcher when it runs in this process: the live feed then needs no polling. */
  dispatcher?: EventDispatcher | undefined;
  /** A feed to share; by default one is made from `dispatcher` or by polling `data`. */
  feed?: LiveFeed;
  staticDir?: string;
}

/** The dashboard: JSON/CSV API under /api (authenticated when configured), the built UI at /. */
export function createWebApp(options: WebAppOptions): Hono {
  const { data, config, logger } = options;
  const feed = options.feed ?? createLiveFeed({ data, dispatcher: options.dispatcher, logger });
  const app = new Hono();

  app.use('*', securityHeaders());
  app.onError((err, c) => {
    if (err instanceof QueryParamError) return c.json({ error: err.message }, 400);
    logger.error({ err: errorMessage(err), path: c.req.path }, 'web request failed');
    return c.json({ error: 'Internal error' }, 500);
  });

  const api = new Hono();
  api.use('*', apiAuth({ token: config.web.token, users: config.web.users }));
  api.route('/', overviewRoutes(data));
  api.route('/', outboundRoutes(data));
  api.route('/', payloadRoutes(data));
  api.route('/', sessionRoutes(data, { dataDir: config.core.dataDir }));
  api.route('/', topListRoutes(data));
  api.route('/', eventRoutes(data, feed));
  api.route('/', alertRoutes(createAlertLog(alertLogPath(config))));
  api.all('*', (c) => c.json({ error: `No API route ${c.req.method} ${c.req.path}` }, 404));
  app.route('/api', api);

  const staticDir = options.staticDir ?? DEFAULT_STATIC_DIR;
  if (existsSync(staticDir)) app.use('*', serveStatic({ root: staticDir }));
  else app.get('/', (c) => c.text(`The dashboard UI is not built (no ${staticDir}): run npm run build:ui`, 503));
  app.notFound((c) => c.text('Not found', 404));
  return app;
}
