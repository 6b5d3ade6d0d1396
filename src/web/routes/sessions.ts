import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import type { DashboardData } from '../dashboard-data.js';
import { filterParams, intParam } from '../query-params.js';
import { tableResponse } from '../table-response.js';

const MAX_RECORDING_BYTES = 64 * 1024 * 1024;

/** Looks up a recording under DATA/tty/ by its base name only, so a logged path cannot point elsewhere. */
async function findRecording(dataDir: string, ttylog: string): Promise<{ path: string; size: number } | null> {
  const path = join(dataDir, 'tty', basename(ttylog));
  try {
    const info = await stat(path);
    return info.isFile() ? { path, size: info.size } : null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Session search, one session, and its terminal recording. */
export function sessionRoutes(data: DashboardData, options: { dataDir: string }): Hono {
  const app = new Hono();

  app.get('/sessions', async (c) => {
    const q = c.req.query('q');
    return tableResponse(c, {
      name: 'sessions',
      rows: await data.sessions({
        ...filterParams(c),
        ...(q ? { q } : {}),
        limit: intParam(c, 'limit', { fallback: 100, min: 1, max: 5000 }),
        offset: intParam(c, 'offset', { fallback: 0, min: 0, max: 10_000_000 }),
      }),
      columns: [
        { header: 'session', value: (r) => r.session },
        { header: 'src_ip', value: (r) => r.srcIp },
        { header: 'sensor', value: (r) => r.sensor },
        { header: 'start', value: (r) => r.start },
        { header: 'end', value: (r) => r.end },
        { header: 'logged_in', value: (r) => r.loggedIn },
        { header: 'commands', value: (r) => r.commandCount },
        { header: 'outbound_attempts', value: (r) => r.attemptCount },
      ],
    });
  });

  app.get('/sessions/:id', async (c) => {
    const detail = await data.session(c.req.param('id'));
    if (!detail) return c.json({ error: `Session "${c.req.param('id')}" not found` }, 404);
    const recording = detail.ttylog ? await findRecording(options.dataDir, detail.ttylog) : null;
    return c.json({ ...detail, recording: recording !== null });
  });

  app.get('/sessions/:id/recording', async (c) => {
    const detail = await data.session(c.req.param('id'));
    const recording = detail?.ttylog ? await findRecording(options.dataDir, detail.ttylog) : null;
    if (!recording) return c.json({ error: `No recording for session "${c.req.param('id')}"` }, 404);
    if (recording.size > MAX_RECORDING_BYTES) return c.json({ error: `Recording is ${recording.size} bytes: over the ${MAX_RECORDING_BYTES} byte limit` }, 413);
    const body = Readable.toWeb(createReadStream(recording.path)) as ReadableStream<Uint8Array>;
    return c.body(body, 200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(recording.size) });
  });

  return app;
}
