import type { Command } from 'commander';
import { loadConfig } from '../config/load-config.js';
import type { ResolvedConfig } from '../config/schema.js';

export interface CommonOptions {
  config?: string[];
  data?: string;
  store?: string;
}

/** Adds --config (repeatable), --data and optionally --store to a command. */
export function withCommonOptions(command: Command, options: { store?: boolean } = {}): Command {
  command
    .option('-c, --config <file>', 'YAML config file (repeatable; later files win)', collect, [])
    .option('-d, --data <dir>', 'data directory (event log, keys, downloads, embedded store)');
  if (options.store) command.option('--store <url>', 'postgres:// URL instead of the embedded store in the data directory');
  return command;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Loads the config from files, HONEYSCOPE_* variables and the common flags. */
export function resolveConfig(opts: CommonOptions, overrides: Record<string, Record<string, unknown>> = {}): ResolvedConfig {
  const merged: Record<string, Record<string, unknown>> = { ...overrides };
  if (opts.data) merged.core = { ...merged.core, dataDir: opts.data };
  if (opts.store) merged.store = { ...merged.store, url: opts.store };
  return loadConfig({ files: opts.config ?? [], env: process.env, overrides: merged });
}
