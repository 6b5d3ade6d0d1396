import type { Command } from 'commander';
import { stringify } from 'yaml';
import { defaultConfig } from '../../config/load-config.js';
import { resolveConfig, withCommonOptions, type CommonOptions } from '../common-options.js';

export function registerConfig(program: Command): void {
  withCommonOptions(
    program
      .command('config')
      .description('print the resolved configuration (files, HONEYSCOPE_* variables and flags applied) as YAML')
      .option('--defaults', 'print the defaults of every option instead'),
  ).action((opts: CommonOptions & { defaults?: boolean }) => {
    const config = opts.defaults ? defaultConfig() : resolveConfig(opts);
    process.stdout.write(stringify(config));
  });
}
