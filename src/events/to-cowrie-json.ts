import type { HoneyscopeEvent } from './event.js';

const NON_ASCII = /[\u0080-\uffff]/g;

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
  // Most events are pure ASCII: skip the replace pass for them. Every other code unit takes more than
  // one UTF-8 byte, and counting bytes costs a third of a regular expression's search.
  return Buffer.byteLength(json, 'utf8') === json.length ? json : json.replace(NON_ASCII, escapeCodeUnit);
}
