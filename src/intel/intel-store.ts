import type { IndicatorType, IntelItem, IntelRecord } from './indicator.js';

export type RecordSource = Iterable<IntelRecord> | AsyncIterable<IntelRecord>;

/** How much metadata an item query reads; see {@link ItemQuery}. */
export type MetaFields = 'full' | 'describe' | 'sources';

export interface ItemQuery {
  types?: readonly IndicatorType[];
  /** Only metadata from these sources (and items that have some). */
  sources?: readonly string[];
  /** Only active metadata not expired at this epoch ms. */
  activeAt?: number;
  /**
   * `sources`: metadata carries only source and pulse id; `describe`: also pulse
   * name, author, description and reference URL. Much faster for exports that need no more.
   */
  metaFields?: MetaFields;
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
  /** The items a query selects, in order, in batches (an await per item would cost more than most uses of it). */
  itemBatches(query?: ItemQuery): AsyncIterable<readonly IntelItem[]>;
  /** Every item with this canonical value, whatever its type. */
  lookup(indicator: string): Promise<IntelItem[]>;
  stats(): Promise<IntelStats>;
  getState(key: string): Promise<string | undefined>;
  setState(key: string, value: string): Promise<void>;
  close(): Promise<void>;
}
