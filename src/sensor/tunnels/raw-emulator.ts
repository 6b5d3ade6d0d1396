import type { TunnelEmulator } from './tunnel-emulator.js';

/**
 * For ports no emulator knows: says nothing and only listens. The glue logs
 * every chunk and its idle timeout ends the channel.
 */
export function createRawEmulator(): TunnelEmulator {
  return {
    kind: 'raw',
    start(): void {},
    data(): void {},
    end(): void {},
  };
}
