import { errorMessage } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { DashboardData } from './dashboard-data.js';
import { DEFAULT_TOP } from './routes/outbound.js';
import { DEFAULT_SOURCES, rateQuery } from './routes/overview.js';
import { DEFAULT_LIST_LIMIT } from './routes/top-lists.js';

/**
 * Asks the (cached) data what the overview and outbound pages ask first, with
 * the same arguments, so the first visitor does not wait for full scans.
 */
export async function warmDashboard(data: DashboardData, logger: Logger): Promise<void> {
  const started = Date.now();
  try {
    const [, last] = await Promise.all([data.overview({}), data.lastEventTime({})]);
    await Promise.all([
      data.rates(rateQuery('day', last ?? new Date(), {}, DEFAULT_SOURCES)),
      data.tree({ top: DEFAULT_TOP }),
      data.outboundDays({}),
      data.ehlo({}),
      data.httpRequests({}),
      data.tlsNames({}),
      data.credentials({ limit: DEFAULT_LIST_LIMIT }),
      data.commands({ limit: DEFAULT_LIST_LIMIT }),
    ]);
    logger.debug({ ms: Date.now() - started }, 'dashboard cache warmed');
  } catch (err) {
    logger.warn({ err: errorMessage(err) }, 'dashboard cache warm-up failed');
  }
}
