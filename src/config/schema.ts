import { z } from 'zod';
import { coreSection } from './sections/core.js';
import { sensorSection } from './sections/sensor.js';
import { authSection } from './sections/auth.js';
import { shellSection } from './sections/shell.js';
import { downloadSection } from './sections/download.js';
import { tunnelsSection } from './sections/tunnels.js';
import { limitsSection } from './sections/limits.js';
import { logSection } from './sections/log.js';
import { storeSection } from './sections/store.js';
import { webSection } from './sections/web.js';
import { intelSection } from './sections/intel.js';
import { scanSection } from './sections/scan.js';
import { analysisSection } from './sections/analysis.js';
import { alertsSection } from './sections/alerts.js';
import { fleetSection } from './sections/fleet.js';

/** One schema for the whole config file: every option has a default. */
export const configSchema = z
  .object({
    core: coreSection,
    sensor: sensorSection,
    auth: authSection,
    shell: shellSection,
    download: downloadSection,
    tunnels: tunnelsSection,
    limits: limitsSection,
    log: logSection,
    store: storeSection,
    web: webSection,
    intel: intelSection,
    scan: scanSection,
    analysis: analysisSection,
    alerts: alertsSection,
    fleet: fleetSection,
  })
  .strict();

/** What a config file may hold: every key optional. */
export type UserConfig = z.input<typeof configSchema>;
/** The complete config after defaults. */
export type ResolvedConfig = z.output<typeof configSchema>;
