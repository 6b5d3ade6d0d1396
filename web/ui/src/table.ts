import { getCsv, type Params } from './api';
import { downloadBlob, h, type Child } from './dom';

export interface Column<Row> {
  header: string;
  cell: (row: Row) => Child;
  numeric?: boolean;
}

/** A CSV button for an API route: fetches `?format=csv` with the same filters. */
export function csvButton(path: string, params: () => Params, fileName: string): HTMLButtonElement {
  return h('button', {
    class: 'csv',
    type: 'button',
    title: 'Download this table as CSV',
    on: {
      click: () => {
        void getCsv(path, params()).then((blob) => downloadBlob(blob, `honeyscope-${fileName}.csv`));
      },
    },
  }, 'CSV');
}

/** Said wherever a table or chart has no row for the chosen filters. */
export const NO_DATA = 'No data for this selection.';

/** A table whose cells are text (or nodes built with h()), in a box that scrolls sideways so a wide table never widens the page. */
export function table<Row>(columns: readonly Column<Row>[], rows: readonly Row[], options: { empty?: string; class?: string } = {}): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, options.empty ?? NO_DATA);
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: options.class ?? 'data' },
      h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', c.numeric ? { class: 'num' } : {}, c.header)))),
      h('tbody', {}, ...rows.map((row) => h('tr', {}, ...columns.map((c) => h('td', c.numeric ? { class: 'num' } : {}, c.cell(row)))))),
    ),
  );
}

/** A titled panel with optional tools (CSV button, filters) in its header. */
export function panel(title: string, tools: Child[], ...body: Child[]): HTMLElement {
  return h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, title), h('div', { class: 'tools' }, ...tools)), ...body);
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell, as the server writes them: formula-like text gets a leading apostrophe (CSV injection). */
function csvCell(value: string): string {
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV button for rows already in the page (a session's own tables). */
export function localCsvButton<Row>(fileName: string, columns: readonly { header: string; text: (row: Row) => string }[], rows: readonly Row[]): HTMLButtonElement {
  return h('button', {
    class: 'csv',
    type: 'button',
    title: 'Download this table as CSV',
    on: {
      click: () => {
        const lines = [columns.map((c) => csvCell(c.header)).join(','), ...rows.map((r) => columns.map((c) => csvCell(c.text(r))).join(','))];
        downloadBlob(new Blob([`${lines.join('\r\n')}\r\n`], { type: 'text/csv' }), `honeyscope-${fileName}.csv`);
      },
    },
  }, 'CSV');
}
