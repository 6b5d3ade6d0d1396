import type { Command } from 'commander';
import { registerConfig } from './config.js';

/** Every CLI command, one file each; each adds itself to the program. */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [registerConfig];
