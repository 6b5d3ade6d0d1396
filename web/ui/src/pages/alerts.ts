import { getJson, type Params } from '../api';
import { clear, formatNumber, formatTime, h } from '../dom';
import { csvButton, panel, table } from '../table';
import type { AlertList, AlertRow } from '../types';
import type { Page } from './page';

const LIMIT = 500;
/** OSSEC's scale: 0-15, higher is worse. */
const LEVELS = ['0', '3', '6', '8', '10', '12'];

function endpoint(ip: string | undefined, port: number | undefined): string {
  if (!ip) return '';
  if (port === undefined) return ip;
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function severity(level: number): string {
  return level >= 12 ? 'high' : level >= 7 ? 'medium' : 'low';
}

export const alertsPage: Page = async (root) => {
  const level = h('select', { name: 'level', id: 'alert-level', on: { change: () => void load() } }, ...LEVELS.map((l) => h('option', { value: l }, l === '0' ? 'all levels' : `level ≥ ${l}`)));
  const list = h('div', { id: 'alert-list' });
  const note = h('p', { class: 'hint', id: 'alert-note' });
  const params = (): Params => ({ limit: LIMIT, level: level.value });

  async function load(): Promise<void> {
    const result = await getJson<AlertList>('alerts', params());
    clear(list);
    list.append(
      table(
        [
          { header: 'time (UTC)', cell: (a: AlertRow) => formatTime(a.timestamp) },
          { header: 'level', cell: (a) => h('span', { class: `level level-${severity(a.rule.level)}` }, a.rule.level), numeric: true },
          { header: 'rule', cell: (a) => h('span', { title: a.rule.id }, a.rule.description) },
          { header: 'kind', cell: (a) => a.kind },
          { header: 'source', cell: (a) => endpoint(a.src_ip, a.src_port) },
          { header: 'destination', cell: (a) => endpoint(a.dst_ip, a.dst_port) },
          { header: 'indicator', cell: (a) => (a.indicator ? h('span', { title: a.indicator.type }, a.indicator.seen) : '') },
          { header: 'indicator sources', cell: (a) => a.indicator?.sources.join(', ') ?? '' },
          { header: 'count', cell: (a) => formatNumber(a.count), numeric: true },
          { header: 'log', cell: (a) => h('code', { title: a.log.record }, `${a.log.file}:${a.log.line}`) },
        ],
        result.alerts,
        { empty: 'No alert. Alerts appear here when honeyscope watch matches a log against the indicators.' },
      ),
    );
    clear(note);
    note.append(
      result.complete ? `${formatNumber(result.alerts.length)} alerts` : `The newest ${formatNumber(result.alerts.length)} alerts`,
      result.malformed > 0 ? ` · ${formatNumber(result.malformed)} malformed ${result.malformed === 1 ? 'line' : 'lines'} skipped in the alert log` : '',
    );
  }

  root.append(panel('Alerts', [h('label', { class: 'field' }, h('span', {}, 'minimum level'), level), csvButton('alerts', params, 'alerts')], note, list));
  await load();
};
