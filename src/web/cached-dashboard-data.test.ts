import { describe, expect, it } from 'vitest';
import { silentLogger } from '../lib/logger.js';
import { cachedDashboardData } from './cached-dashboard-data.js';
import type { DashboardData, Overview } from './dashboard-data.js';

function counting(delayMs = 0): { data: DashboardData; calls: () => number; fail: (yes: boolean) => void } {
  let calls = 0;
  let failing = false;
  async function other(): Promise<never[]> {
    calls += 1;
    return [];
  }
  const data: DashboardData = {
    async overview() {
      calls += 1;
      const n = calls;
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (failing) throw new Error('store down');
      return { events: n } as Overview;
    },
    lastEventTime: async () => null,
    rates: async () => ({ step: 'minute', total: [], bySource: [] }),
    tree: async () => ({ name: 'all sources', value: 0 }),
    linkGraph: async () => ({ day: '', edges: [] }),
    outboundDays: other,
    ehlo: other,
    httpRequests: other,
    tlsNames: other,
    sessions: other,
    session: async () => null,
    credentials: other,
    commands: other,
    recentEvents: other,
  };
  return { data, calls: () => calls, fail: (yes) => (failing = yes) };
}

describe('cachedDashboardData()', () => {
  it('serves the last answer, refreshing it in the background once older than ttlMs', async () => {
    let t = 0;
    const src = counting();
    // freshWithinMs 0: the stale answer even though the refresh is quick (see below).
    const data = cachedDashboardData(src.data, { ttlMs: 1000, freshWithinMs: 0, logger: silentLogger(), now: () => t });
    expect((await data.overview({})).events).toBe(1);
    t = 500;
    expect((await data.overview({})).events).toBe(1);
    expect(src.calls()).toBe(1);
    t = 1600;
    expect((await data.overview({})).events).toBe(1);
    await Promise.resolve();
    expect((await data.overview({})).events).toBe(2);
    expect(src.calls()).toBe(2);
  });

  it('waits for the fresh answer once the last one is older than maxStaleMs, and falls back to it when the refresh fails', async () => {
    let t = 0;
    const src = counting();
    const data = cachedDashboardData(src.data, { ttlMs: 1000, maxStaleMs: 10_000, freshWithinMs: 0, logger: silentLogger(), now: () => t });
    expect((await data.overview({})).events).toBe(1);
    t = 9_000;
    expect((await data.overview({})).events).toBe(1);
    await Promise.resolve();
    t = 30_000;
    expect((await data.overview({})).events).toBe(3);
    t = 60_000;
    src.fail(true);
    expect((await data.overview({})).events).toBe(3);
    expect(src.calls()).toBe(4);
  });

  it('serves the refresh instead of the stale answer when it answers within freshWithinMs', async () => {
    let t = 0;
    const src = counting();
    const data = cachedDashboardData(src.data, { ttlMs: 1000, logger: silentLogger(), now: () => t });
    expect((await data.overview({})).events).toBe(1);
    t = 500;
    expect((await data.overview({})).events).toBe(1);
    t = 1600;
    expect((await data.overview({})).events).toBe(2);
    expect(src.calls()).toBe(2);
  });

  it('refreshes an answer older than the rows the process wrote at once, and waits past freshWithinMs for it', async () => {
    let t = 0;
    let written = 0;
    // Slower than freshWithinMs (100 ms), as a fold plus the overview queries are on a small store.
    const src = counting(150);
    const data = cachedDashboardData(src.data, { ttlMs: 3000, written: () => written, logger: silentLogger(), now: () => t });
    expect((await data.overview({})).events).toBe(1);
    t = 500;
    expect((await data.overview({})).events).toBe(1);
    written = 5;
    t = 600;
    expect((await data.overview({})).events).toBe(2);
    t = 700;
    expect((await data.overview({})).events).toBe(2);
    expect(src.calls()).toBe(2);
  });

  it('stores the buffered rows before it computes the answer again', async () => {
    let taken = 0;
    let stored = 0;
    const data = cachedDashboardData(
      { ...counting().data, overview: async () => ({ events: stored }) as Overview },
      { ttlMs: 3000, written: () => taken, flush: async () => void (stored = taken), logger: silentLogger() },
    );
    expect((await data.overview({})).events).toBe(0);
    taken = 217;
    expect((await data.overview({})).events).toBe(217);
  });

  it('takes the old answer when a refresh after new rows outlasts changedWaitMs', async () => {
    let written = 0;
    const src = counting(200);
    const data = cachedDashboardData(src.data, { ttlMs: 3000, written: () => written, changedWaitMs: 20, logger: silentLogger() });
    expect((await data.overview({})).events).toBe(1);
    written = 1;
    expect((await data.overview({})).events).toBe(1);
    expect(src.calls()).toBe(2);
  });

  it('keeps the only writer\'s answer past ttlMs while it stores nothing, and refreshes it as another writer\'s', async () => {
    let t = 0;
    const only = counting();
    const onlyData = cachedDashboardData(only.data, { ttlMs: 1000, freshWithinMs: 0, written: () => 0, onlyWriter: true, logger: silentLogger(), now: () => t });
    const shared = counting();
    const sharedData = cachedDashboardData(shared.data, { ttlMs: 1000, freshWithinMs: 0, written: () => 0, logger: silentLogger(), now: () => t });
    await onlyData.overview({});
    await sharedData.overview({});
    t = 60_000;
    expect((await onlyData.overview({})).events).toBe(1);
    await sharedData.overview({});
    expect(only.calls()).toBe(1);
    expect(shared.calls()).toBe(2);
  });

  it('keys answers by arguments and never caches session queries or failures', async () => {
    const src = counting();
    const data = cachedDashboardData(src.data, { ttlMs: 60_000, logger: silentLogger() });
    await data.overview({ sensor: 'a' });
    await data.overview({ sensor: 'b' });
    await data.sessions({ limit: 1, offset: 0 });
    await data.sessions({ limit: 1, offset: 0 });
    expect(src.calls()).toBe(4);
    src.fail(true);
    await expect(data.overview({ sensor: 'c' })).rejects.toThrow('store down');
    src.fail(false);
    expect((await data.overview({ sensor: 'c' })).events).toBe(6);
  });
});
