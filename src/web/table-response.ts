import type { Context } from 'hono';
import { toCsv, type CsvColumn } from './csv.js';

/**
 * Answers with the rows as JSON, or as a CSV download when `?format=csv`.
 * `name` becomes the file name (`honeyscope-<name>.csv`).
 */
export function tableResponse<Row>(c: Context, options: { name: string; rows: readonly Row[]; columns: readonly CsvColumn<Row>[] }): Response {
  if (c.req.query('format') === 'csv') {
    return c.body(toCsv(options.columns, options.rows), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="honeyscope-${options.name}.csv"`,
    });
  }
  return c.json(options.rows);
}
