import type { IndicatorType, IntelItem, IntelMeta } from '../indicator.js';

export type ExportFormat = 'rpz' | 'silk' | 'zeek' | 'nft' | 'ipset' | 'hosts' | 'stix' | 'csv' | 'json';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['rpz', 'silk', 'zeek', 'nft', 'ipset', 'hosts', 'stix', 'csv', 'json'];

/** An indicator an exporter would not write, and why. */
export interface Rejected {
  indicator: string;
  type: IndicatorType;
  reason: string;
}

/** What an exporter wrote and refused; filled while its chunks are consumed. */
export interface ExportReport {
  written: number;
  rejected: Rejected[];
}

/** Items in batches, in order: an await per item would cost more than writing it. */
export type ItemSource = AsyncIterable<readonly IntelItem[]> | Iterable<readonly IntelItem[]>;

export function createReport(): ExportReport {
  return { written: 0, rejected: [] };
}

const CHUNK = 64 * 1024;

/** Collects small strings into ~64 KiB chunks so big exports do not pay per line. */
export class ChunkBuffer {
  #parts: string[] = [];
  #size = 0;

  push(text: string): string | undefined {
    this.#parts.push(text);
    this.#size += text.length;
    if (this.#size < CHUNK) return undefined;
    return this.flush();
  }

  flush(): string | undefined {
    if (this.#size === 0) return undefined;
    const out = this.#parts.join('');
    this.#parts = [];
    this.#size = 0;
    return out;
  }
}

/** Control characters (tabs, newlines included) become spaces: no value can start a new field or line. */
export function oneLine(value: string): string {
  return CONTROL.test(value) ? value.replace(CONTROL_ALL, ' ') : value;
}

const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/;
const CONTROL_ALL = /[\u0000-\u001f\u007f\u2028\u2029]/g;

/** Sorted, unique source names of an item, for comments. */
export function sourceNames(meta: readonly IntelMeta[]): string[] {
  return [...new Set(meta.map((m) => m.source))].sort();
}
