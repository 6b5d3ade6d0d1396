import { createHash } from 'node:crypto';
import type { IntelItem } from '../indicator.js';
import { ChunkBuffer, type ExportReport, type ItemSource } from './exporter.js';

export interface StixOptions {
  report: ExportReport;
  /** Only items listed by these sources are shared; the honeypot's own by default. */
  sources?: readonly string[];
  /** Name of the identity that creates the indicators. */
  identity?: string;
  /** Epoch ms: `created` of objects without a first-seen time, and the bundle's id seed. */
  now: number;
}

/** A stable UUID (version 5 layout) from a text, so the same indicator keeps its id across exports. */
export function stableUuid(text: string): string {
  const h = createHash('sha1').update(text).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** STIX patterning string literal: backslash and quote escaped. */
function literal(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function stixPattern(item: { indicator: string; type: IntelItem['type'] }): string {
  const v = literal(item.indicator);
  switch (item.type) {
    case 'ipv4':
      return `[ipv4-addr:value = ${v}]`;
    case 'ipv6':
      return `[ipv6-addr:value = ${v}]`;
    case 'cidr':
      return item.indicator.includes(':') ? `[ipv6-addr:value = ${v}]` : `[ipv4-addr:value = ${v}]`;
    case 'domain':
    case 'hostname':
      return `[domain-name:value = ${v}]`;
    case 'url':
      return `[url:value = ${v}]`;
    case 'email':
      return `[email-addr:value = ${v}]`;
    case 'md5':
      return `[file:hashes.MD5 = ${v}]`;
    case 'sha1':
      return `[file:hashes.'SHA-1' = ${v}]`;
    case 'sha256':
      return `[file:hashes.'SHA-256' = ${v}]`;
  }
}

function stamp(ms: number): string {
  return new Date(ms).toISOString();
}

/** A STIX 2.1 bundle: one identity, then one indicator per item the chosen sources list. */
export async function* renderStix(items: ItemSource, options: StixOptions): AsyncGenerator<string> {
  const sources = new Set(options.sources ?? ['honeypot']);
  const identityName = options.identity ?? 'honeyscope sensor';
  const identityId = `identity--${stableUuid(`identity:${identityName}`)}`;
  const now = stamp(options.now);
  const identity = { type: 'identity', spec_version: '2.1', id: identityId, created: now, modified: now, name: identityName, identity_class: 'system' };
  yield `{"type":"bundle","id":"bundle--${stableUuid(`bundle:${identityName}:${options.now}`)}","objects":[\n${JSON.stringify(identity)}`;
  const out = new ChunkBuffer();
  for await (const batch of items) {
    for (const item of batch) {
      const metas = item.meta.filter((m) => sources.has(m.source));
      if (metas.length === 0) continue;
      const first = Math.min(...metas.map((m) => m.firstSeen ?? options.now));
      const last = Math.max(...metas.map((m) => m.lastSeen ?? m.firstSeen ?? options.now));
      const expires = metas.map((m) => m.expires).filter((e): e is number => e !== undefined);
      const labels = [...new Set(metas.flatMap((m) => m.tags ?? []))].sort();
      const indicator: Record<string, unknown> = {
        type: 'indicator',
        spec_version: '2.1',
        id: `indicator--${stableUuid(`${item.type}:${item.indicator}`)}`,
        created_by_ref: identityId,
        created: stamp(first),
        modified: stamp(last),
        name: `${item.type} ${item.indicator}`,
        description: [...new Set(metas.map((m) => m.description).filter((d): d is string => !!d))].join('; ') || undefined,
        indicator_types: ['malicious-activity'],
        pattern: stixPattern(item),
        pattern_type: 'stix',
        valid_from: stamp(first),
        valid_until: expires.length > 0 ? stamp(Math.max(...expires)) : undefined,
        labels: labels.length > 0 ? labels : undefined,
      };
      options.report.written += 1;
      const chunk = out.push(`,\n${JSON.stringify(indicator)}`);
      if (chunk) yield chunk;
    }
  }
  const rest = out.flush();
  if (rest) yield rest;
  yield '\n]}\n';
}
