import type { Command } from 'commander';
import { registerConfig } from './config.js';
import { registerSensor } from './sensor.js';
import { registerServe } from './serve.js';
import { registerSimulate } from './simulate.js';
import { registerIntel } from './intel.js';
import { registerScan } from './scan.js';
import { registerGuard } from './guard.js';
import { registerIngest } from './ingest.js';
import { registerReport } from './report.js';

/** Every CLI command, one file each; each adds itself to the program. */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerConfig,
  registerSensor,
  registerServe,
  registerSimulate,
  registerIntel,
  registerScan,
  registerGuard,
  registerIngest,
  registerReport,
];
