import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { DashboardData } from '../dashboard-data.js';
import { feedEvent, type LiveFeed } from '../live-feed.js';
import { intParam } from '../query-params.js';

const HEARTBEAT_MS = 15_000;
const MAX_QUEUED = 1000;

/** The latest events, and new ones as server-sent events. */
export function eventRoutes(data: DashboardData, feed: LiveFeed): Hono {
  const app = new Hono();

  app.get('/events/recent', async (c) => {
    const items = await data.recentEvents({ limit: intParam(c, 'limit', { fallback: 50, min: 1, max: 500 }) });
    return c.json(items.map((item) => feedEvent(item.event)));
  });

  app.get('/events/stream', (c) =>
    streamSSE(c, async (stream) => {
      const queue: Record<string, unknown>[] = [];
      let wake: (() => void) | null = null;
      let dropped = 0;
      const unsubscribe = feed.subscribe((event) => {
        // A slow browser must not grow the server's memory: drop and say how many.
        if (queue.length >= MAX_QUEUED) dropped += 1;
        else queue.push(event);
        wake?.();
      });
      let closed = false;
      stream.onAbort(() => {
        closed = true;
        unsubscribe();
        wake?.();
      });
      await stream.writeSSE({ event: 'ready', data: '{}' });
      while (!closed) {
        const event = queue.shift();
        if (event) {
          await stream.writeSSE({ event: 'event', data: JSON.stringify(event) });
          continue;
        }
        if (dropped > 0) {
          await stream.writeSSE({ event: 'dropped', data: JSON.stringify({ dropped }) });
          dropped = 0;
        }
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, HEARTBEAT_MS);
        });
        clearTimeout(timer);
        wake = null;
        if (!closed && queue.length === 0) await stream.write(': keep-alive\n\n');
      }
      unsubscribe();
    }),
  );

  return app;
}
