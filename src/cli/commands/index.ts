import type { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * Every CLI command, one file each, loaded only when needed: `honeyscope
 * sensor` must not pay for DuckDB, PostgreSQL or ECharts in start-up time and
 * memory. Each loader returns the function that adds the command.
 */
export const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  run: async () => (await import('./run.js')).registerRun,
  sensor: async () => (await import('./sensor.js')).registerSensor,
  simulate: async () => (await import('./simulate.js')).registerSimulate,
  serve: async () => (await import('./serve.js')).registerServe,
  ingest: async () => (await import('./ingest.js')).registerIngest,
  report: async () => (await import('./report.js')).registerReport,
  intel: async () => (await import('./intel.js')).registerIntel,
  scan: async () => (await import('./scan.js')).registerScan,
  guard: async () => (await import('./guard.js')).registerGuard,
  config: async () => (await import('./config.js')).registerConfig,
  match: async () => (await import('./match.js')).registerMatch,
  watch: async () => (await import('./watch.js')).registerWatch,
  collect: async () => (await import('./collect.js')).registerCollect,
};
