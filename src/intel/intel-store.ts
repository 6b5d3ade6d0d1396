import type { IndicatorType, IntelItem, IntelRecord } from './indicator.js';

export type RecordSource = Iterable<IntelRecord> | AsyncIterable<IntelRecord>;

export interface ItemQuery {
  types?: readonly IndicatorType[];
  /** Only metadata from these sources (and items that have some). */
  sources?: readonly string[];
  /** Only active metadata not expired at this epoch ms. */
  activeAt?: number;
  /** `sources`: metadata carries only source and pulse id (much faster for lists that need no more). */
  metaFields?: 'full' | 'sources';
}

export interface IntelStats {
  total: number;
  byType: Record<string, number>;
  /** Indicators per source (an indicator counts once per source). */
  bySource: Record<string, number>;
}

/**
 * Where indicators last across runs. Rows are keyed by (type, indicator,
 * source, pulseId), so two feeds, or two pulses, never overwrite each other.
 * Items come back ordered by type then indicator (bytewise), metadata by
 * source then pulse id, so exports are deterministic.
 */
export interface IntelStore {
  /** Inserts or replaces rows; keeps the earliest firstSeen. Returns rows written. */
  upsert(records: RecordSource): Promise<number>;
  /** Deletes every row of `source`, then inserts `records`, in one transaction. */
  replaceSource(source: string, records: RecordSource): Promise<number>;
  /** Deletes the rows of these pulses of `source`; returns rows deleted. */
  removePulses(source: string, pulseIds: readonly string[]): Promise<number>;
  items(query?: ItemQuery): AsyncIterable<IntelItem>;
  /** Every item with this canonical value, whatever its type. */
  lookup(indicator: string): Promise<IntelItem[]>;
  stats(): Promise<IntelStats>;
  getState(key: string): Promise<string | undefined>;
  setState(key: string, value: string): Promise<void>;
  close(): Promise<void>;
}
