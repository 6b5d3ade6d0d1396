import { describe, expect, it } from 'vitest';
import type { HoneyscopeEvent } from './event.js';
import { toCowrieJson } from './to-cowrie-json.js';

function event(input: string): HoneyscopeEvent {
  return { eventid: 'cowrie.command.input', input, session: 's', src_ip: '192.0.2.1', sensor: 'x', timestamp: '2026-11-28T00:00:00.000000Z' } as unknown as HoneyscopeEvent;
}

describe('toCowrieJson()', () => {
  it('leaves ASCII as JSON.stringify wrote it', () => {
    const e = event('uname -a; echo "\t\\"');
    expect(toCowrieJson(e)).toBe(JSON.stringify(e));
  });

  it('escapes every non-ASCII code unit as Python ensure_ascii does, lone surrogates and DEL neighbours included', () => {
    const line = toCowrieJson(event('Grüße \u0080 😀 \ud800 x\u007f'));
    expect(line).toContain('Gr\\u00fc\\u00dfe \\u0080 \\ud83d\\ude00 \\ud800 x\u007f');
    expect(/^[\x00-\x7f]*$/.test(line)).toBe(true);
    expect(JSON.parse(line).input).toBe('Grüße \u0080 😀 \ud800 x\u007f');
  });
});
