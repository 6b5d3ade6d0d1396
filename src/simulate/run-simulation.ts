import { runBot, type BotResult } from './simulate-bot.js';
import { seededRandom } from '../lib/seeded-random.js';

export interface SimulationOptions {
  host: string;
  port: number;
  /** Bots (SSH connections) to run. */
  count: number;
  concurrency: number;
  /** At most this many new connections per second (0: no limit). */
  rate: number;
  /** Distinct loopback source addresses 127.0.0.2... (0: the default address). */
  sources: number;
  failures: number;
  commands: number;
  tunnels: number;
  seed: number;
  timeoutMs: number;
  onProgress?: (done: number) => void;
}

export interface SimulationSummary {
  bots: number;
  loggedIn: number;
  commands: number;
  tunnels: number;
  errors: number;
  seconds: number;
}

/** Runs `count` bots against a sensor with bounded concurrency and rate. */
export async function runSimulation(options: SimulationOptions): Promise<SimulationSummary> {
  const random = seededRandom(options.seed);
  const started = Date.now();
  const summary: SimulationSummary = { bots: 0, loggedIn: 0, commands: 0, tunnels: 0, errors: 0, seconds: 0 };
  let next = 0;
  const interval = options.rate > 0 ? 1000 / options.rate : 0;

  async function worker(): Promise<void> {
    while (next < options.count) {
      const index = next;
      next += 1;
      if (interval > 0) {
        const due = started + index * interval;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      const localAddress = options.sources > 0 ? `127.0.0.${2 + (index % Math.min(options.sources, 250))}` : undefined;
      const result: BotResult = await runBot({
        host: options.host,
        port: options.port,
        ...(localAddress ? { localAddress } : {}),
        failures: options.failures,
        login: true,
        commands: options.commands,
        tunnels: options.tunnels,
        timeoutMs: options.timeoutMs,
        random,
      });
      summary.bots += 1;
      if (result.loggedIn) summary.loggedIn += 1;
      summary.commands += result.commands;
      summary.tunnels += result.tunnels;
      if (result.error) summary.errors += 1;
      options.onProgress?.(summary.bots);
    }
  }

  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, options.count)) }, worker));
  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}
