import type { RecordKind } from '../intel/match/log-record.js';

/** One alert, as every sink receives it and DATA/alerts/alerts.jsonl stores it (one JSON object a line). */
export interface Alert {
  /** Unique id (UUID). */
  id: string;
  /** When the alert was raised, ISO 8601 UTC. */
  timestamp: string;
  /** When the record happened (epoch seconds), if the log says. */
  record_ts?: number | undefined;
  rule: { id: string; level: number; description: string; groups: string[] };
  kind: RecordKind;
  src_ip?: string | undefined;
  src_port?: number | undefined;
  dst_ip?: string | undefined;
  dst_port?: number | undefined;
  /** The listed value seen in the record; absent for rules that need no indicator (an infected file). */
  indicator?:
    | {
        seen: string;
        type: string;
        where: string;
        /** The listed indicators (an address, the CIDR around it). */
        indicators: string[];
        matched: string[];
        sources: string[];
      }
    | undefined;
  /** Records counted by a frequency rule (1 otherwise). */
  count: number;
  log: { file: string; line: number; record: string };
}
