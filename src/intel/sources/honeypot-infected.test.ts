import { describe, expect, it } from 'vitest';
import { collectHoneypotIndicators, type HoneypotEvent } from './honeypot.js';

const SHA = 'a'.repeat(64);

async function* events(): AsyncIterable<HoneypotEvent> {
  yield { eventid: 'cowrie.session.file_download', timestamp: '2026-11-28T10:00:00.000000Z', shasum: SHA, url: 'http://203.0.113.9/x.sh' };
  yield { eventid: 'honeyscope.scan.result', timestamp: '2026-11-28T10:00:01.000000Z', shasum: SHA, verdict: 'infected', signatures: ['Eicar-Test-Signature.UNOFFICIAL'] };
  yield { eventid: 'honeyscope.scan.result', timestamp: '2026-11-28T10:00:02.000000Z', shasum: 'b'.repeat(64), verdict: 'clean', signatures: [] };
}

describe('collectHoneypotIndicators()', () => {
  it('lists an infected file by hash with its signatures, and not a clean scan result', async () => {
    const { records } = await collectHoneypotIndicators(() => events(), { now: Date.UTC(2026, 10, 28, 12), minAttempts: 1 });
    const hashes = records.filter((r) => r.type === 'sha256');
    expect(hashes.map((r) => [r.indicator, r.meta.description])).toEqual([[SHA, 'infected: Eicar-Test-Signature.UNOFFICIAL (2)']]);
  });
});
