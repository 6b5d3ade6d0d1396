import type { HoneyscopeEvent } from './event.js';

const NON_ASCII = /[\u0080-\uffff]/g;
const HAS_NON_ASCII = /[\u0080-\uffff]/;

function escapeCodeUnit(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * One JSON line as Cowrie's jsonlog writes it: compact separators and
 * Python's `ensure_ascii` (every non-ASCII code unit as a \u escape, e.g. \u00fc), so every
 * Cowrie tool reads it and no attacker byte can break the line.
 */
export function toCowrieJson(event: HoneyscopeEvent): string {
  const json = JSON.stringify(event);
  // Most events are pure ASCII: skip the replace pass for them.
  return HAS_NON_ASCII.test(json) ? json.replace(NON_ASCII, escapeCodeUnit) : json;
}
