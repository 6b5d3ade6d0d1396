import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import type { ResolvedConfig } from '../../src/config/schema.js';
import { silentLogger } from '../../src/lib/logger.js';
import { startSensorRuntime, type SensorRuntime } from '../../src/cli/sensor-runtime.js';

export interface TestSensor extends SensorRuntime {
  readonly port: number;
  readonly dataDir: string;
  /** Stops the sensor and removes its data directory. */
  dispose(): Promise<void>;
}

/** A real sensor on 127.0.0.1 with a random port and a temporary data directory. */
export async function startTestSensor(overrides: Record<string, Record<string, unknown>> = {}): Promise<TestSensor> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hs-sensor-'));
  const config: ResolvedConfig = loadConfig({
    overrides: {
      ...overrides,
      core: { dataDir, sensorName: 'test-sensor', ...overrides.core },
      sensor: { listen: '127.0.0.1:0', hostKeyTypes: ['ed25519'], authFailDelayMs: 10, ...overrides.sensor },
      log: { fsync: false, ...overrides.log },
    },
  });
  const runtime = await startSensorRuntime(config, silentLogger());
  return Object.assign(runtime, {
    port: runtime.sensor.address.port,
    dataDir,
    async dispose() {
      await runtime.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}
