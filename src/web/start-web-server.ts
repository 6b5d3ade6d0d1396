import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import ipaddr from 'ipaddr.js';
import type { ResolvedConfig } from '../config/schema.js';
import { splitHostPort } from '../config/sections/host-port.js';
import type { EventDispatcher } from '../events/dispatcher.js';
import { HoneyscopeError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { authConfigured } from './api-auth.js';
import { createWebApp } from './create-web-app.js';
import type { DashboardData } from './dashboard-data.js';
import { createLiveFeed } from './live-feed.js';
import { listenError } from '../lib/listen-on.js';

export interface WebServer {
  /** `http://host:port` it listens on (the real port when 0 was asked). */
  url: string;
  close(): Promise<void>;
}

export interface StartWebServerOptions {
  data: DashboardData;
  config: ResolvedConfig;
  logger: Logger;
  dispatcher?: EventDispatcher | undefined;
  staticDir?: string;
  feedPollMs?: number;
}

/** True for 127.0.0.0/8, ::1, ::ffff:127.x and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  if (!ipaddr.isValid(host)) return false;
  const addr = ipaddr.process(host);
  return addr.range() === 'loopback';
}

/**
 * Serves the dashboard on `config.web.listen`. Anywhere but loopback it refuses
 * to start unless a token or users are configured, so attacker data and the
 * API are never open to the network by accident.
 */
export async function startWebServer(options: StartWebServerOptions): Promise<WebServer> {
  const { config, logger } = options;
  const { host, port } = splitHostPort(config.web.listen);
  if (!isLoopbackHost(host) && !authConfigured(config.web)) {
    throw new HoneyscopeError(
      'HS_WEB_AUTH',
      `Refusing to serve the dashboard on "${config.web.listen}" without authentication: set web.token or web.users (honeyscope web hash-password), or listen on 127.0.0.1`,
    );
  }
  const feed = createLiveFeed({ data: options.data, dispatcher: options.dispatcher, logger, ...(options.feedPollMs ? { pollMs: options.feedPollMs } : {}) });
  const app = createWebApp({ ...options, feed });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) => reject(listenError(err, host, port, 'web.listen')));
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}`;
  logger.info({ url }, 'dashboard listening');
  return {
    url,
    close() {
      feed.close();
      return new Promise<void>((resolve, reject) => {
        // SSE streams stay open: end them so close() does not wait for the browser.
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      });
    },
  };
}
