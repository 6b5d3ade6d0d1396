import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { endQuietlyOnEpipe } from './end-quietly-on-epipe.js';

describe('endQuietlyOnEpipe()', () => {
  it('endQuietlyOnEpipe() calls onEpipe for EPIPE and rethrows any other stream error', () => {
    const stream = new EventEmitter() as unknown as NodeJS.WritableStream;
    let ended = 0;
    endQuietlyOnEpipe(stream, () => void ended++);
    stream.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(ended).toBe(1);
    expect(() => stream.emit('error', Object.assign(new Error('write EIO'), { code: 'EIO' }))).toThrow('write EIO');
  });

  it('endQuietlyOnEpipe() lets a process writing into a closed pipe end with no stack and its exit code', async () => {
    // The child writes far more than a pipe buffer holds; its reader closes after the first chunk.
    const script = `
      const { endQuietlyOnEpipe } = await import(${JSON.stringify(new URL('./end-quietly-on-epipe.ts', import.meta.url).href)});
      endQuietlyOnEpipe();
      process.exitCode = 3;
      const line = 'x'.repeat(1000) + '\\n';
      for (;;) { if (!process.stdout.write(line)) await new Promise((r) => process.stdout.once('drain', r)); }
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(3);
  });
});
