import { randomUUID } from 'node:crypto';
import type { LogRecord } from '../intel/match/log-record.js';
import { recordField } from '../intel/match/log-record.js';
import type { IntelMatch } from '../intel/match/match-record.js';
import { intelLogFields } from '../intel/match/render-intel-log.js';
import type { Alert } from './alert.js';
import type { AlertRule } from './alert-rule.js';

export interface AlertEngineOptions {
  /** Epoch milliseconds; records without a time use it. */
  now?: () => number;
  newId?: () => string;
}

/**
 * Evaluates rules against each record and its matches, OSSEC-style: a rule
 * fires when its conditions hold `frequency` times within `timeframe`
 * seconds, then stays quiet for `ignore` seconds for the same source and
 * indicator. Times come from the records, so replaying old logs correlates
 * as it happened.
 */
export class AlertEngine {
  readonly #rules: readonly AlertRule[];
  readonly #now: () => number;
  readonly #newId: () => string;
  readonly #hits = new Map<string, number[]>();
  readonly #quietUntil = new Map<string, number>();
  #suppressed = 0;

  constructor(rules: readonly AlertRule[], options: AlertEngineOptions = {}) {
    this.#rules = rules;
    this.#now = options.now ?? Date.now;
    this.#newId = options.newId ?? randomUUID;
  }

  /** Alerts held back by ignore windows so far. */
  get suppressed(): number {
    return this.#suppressed;
  }

  evaluate(record: LogRecord, matches: readonly IntelMatch[]): Alert[] {
    const alerts: Alert[] = [];
    const at = record.ts ?? this.#now() / 1000;
    for (const rule of this.#rules) {
      if (!recordMatches(rule, record)) continue;
      const candidates = matches.filter((m) => matchSelected(rule, m));
      const mode = rule.match.indicator;
      if (mode === 'required' && candidates.length === 0) continue;
      if (mode === 'none' && matches.length > 0) continue;
      const picks: (IntelMatch | undefined)[] = mode === 'required' ? candidates : [candidates[0]];
      for (const match of picks) {
        const alert = this.#fire(rule, record, match, at);
        if (alert) alerts.push(alert);
      }
    }
    return alerts;
  }

  #fire(rule: AlertRule, record: LogRecord, match: IntelMatch | undefined, at: number): Alert | undefined {
    const source = record.srcIp ?? '';
    const quietKey = `${rule.id}\u0000${source}\u0000${match?.seen ?? ''}`;
    const quietUntil = this.#quietUntil.get(quietKey);
    if (quietUntil !== undefined && at < quietUntil) {
      this.#suppressed++;
      return undefined;
    }
    let count = 1;
    if (rule.frequency > 1) {
      const key = rule.same_source ? `${rule.id}\u0000${source}` : rule.id;
      const times = (this.#hits.get(key) ?? []).filter((t) => t > at - rule.timeframe);
      times.push(at);
      if (times.length < rule.frequency) {
        this.#hits.set(key, times);
        return undefined;
      }
      count = times.length;
      this.#hits.delete(key);
    }
    if (rule.ignore > 0) this.#quietUntil.set(quietKey, at + rule.ignore);
    return buildAlert(rule, record, match, { id: this.#newId(), timestamp: new Date(this.#now()).toISOString(), count });
  }
}

function recordMatches(rule: AlertRule, record: LogRecord): boolean {
  if (rule.match.kind && !rule.match.kind.includes(record.kind)) return false;
  for (const [name, wanted] of Object.entries(rule.match.fields)) {
    const value = recordField(record, name);
    if (value === undefined || value === null) return false;
    const text = String(value);
    if (typeof wanted === 'object' && !Array.isArray(wanted)) {
      if (!new RegExp(wanted.regex).test(text)) return false;
    } else if (Array.isArray(wanted)) {
      if (!wanted.some((w) => String(w) === text)) return false;
    } else if (String(wanted) !== text) {
      return false;
    }
  }
  return true;
}

function matchSelected(rule: AlertRule, match: IntelMatch): boolean {
  const { where, indicator_type: types, source } = rule.match;
  if (where && !where.includes(match.where)) return false;
  if (types && !match.entries.some((e) => types.includes(e.type))) return false;
  if (source && !match.entries.some((e) => e.sources.some((s) => source.some((p) => (p.endsWith('*') ? s.startsWith(p.slice(0, -1)) : s === p))))) return false;
  return true;
}

function buildAlert(rule: AlertRule, record: LogRecord, match: IntelMatch | undefined, extra: { id: string; timestamp: string; count: number }): Alert {
  const fields = match ? intelLogFields(match) : undefined;
  return {
    id: extra.id,
    timestamp: extra.timestamp,
    record_ts: record.ts,
    rule: { id: rule.id, level: rule.level, description: rule.description, groups: rule.groups },
    kind: record.kind,
    src_ip: record.srcIp,
    src_port: record.srcPort,
    dst_ip: record.dstIp,
    dst_port: record.dstPort,
    indicator:
      match && fields
        ? {
            seen: match.seen,
            type: match.seenType,
            where: match.where,
            indicators: fields.indicators as string[],
            matched: fields.matched as string[],
            sources: fields.sources as string[],
          }
        : undefined,
    count: extra.count,
    log: { file: record.file, line: record.line, record: record.raw },
  };
}
