import { describe, expect, it } from 'vitest';
import { RefreshGate } from './refresh-gate.js';

describe('RefreshGate', () => {
  it('answers requests made before a refresh began with that refresh, later ones with the next', async () => {
    const began: number[] = [];
    const release: Array<() => void> = [];
    const gate = new RefreshGate(async (begin) => {
      await Promise.resolve();
      begin();
      began.push(began.length);
      await new Promise<void>((resolve) => release.push(resolve));
    });
    const a = gate.request();
    const b = gate.request();
    expect(a).toBe(b);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(began).toEqual([0]);
    // The first refresh has begun: a request now may miss rows it already looked past, so it waits for a second.
    const c = gate.request();
    const d = gate.request();
    expect(c).not.toBe(a);
    expect(c).toBe(d);
    release.shift()?.();
    await a;
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(began).toEqual([0, 1]);
    release.shift()?.();
    await c;
  });

  it('does not let a failed refresh answer later requests', async () => {
    let calls = 0;
    const gate = new RefreshGate(async () => {
      calls += 1;
      if (calls === 1) throw new Error('no connection');
    });
    await expect(gate.request()).rejects.toThrow('no connection');
    await gate.request();
    expect(calls).toBe(2);
  });
});
