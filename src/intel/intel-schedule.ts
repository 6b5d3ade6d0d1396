import type { ResolvedConfig } from '../config/schema.js';
import { errorMessage } from '../lib/errors.js';
import { syncAndExport, type SyncAndExportOptions, type SyncAndExportReport } from './sync-and-export.js';

export interface IntelSchedule {
  /** Waits for a round in progress, then stops. */
  stop(): Promise<void>;
}

/**
 * Runs syncAndExport now and then every `intel.syncIntervalMinutes` (none
 * when 0), never two rounds at once. A failed round is logged and the next
 * one tried on time; its exports are left as the last good round wrote them.
 */
export function startIntelSchedule(
  config: Pick<ResolvedConfig, 'intel'>,
  options: SyncAndExportOptions & { intervalMs?: number; onRound?: (result: SyncAndExportReport | Error) => void | Promise<void> },
): IntelSchedule {
  const intervalMs = options.intervalMs ?? config.intel.syncIntervalMinutes * 60_000;
  let running: Promise<void> | undefined;
  let stopped = false;

  function round(): void {
    if (running || stopped) return;
    running = syncAndExport(config, options)
      .then((report) => options.onRound?.(report))
      .catch((err: unknown) => {
        options.logger?.error({ err: errorMessage(err) }, 'intel sync failed; earlier exports left in place');
        return options.onRound?.(err instanceof Error ? err : new Error(String(err)));
      })
      .finally(() => {
        running = undefined;
      });
  }

  if (intervalMs <= 0) return { stop: async () => undefined };
  round();
  const timer = setInterval(round, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
