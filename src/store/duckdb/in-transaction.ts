import type { DuckDBConnection } from '@duckdb/node-api';

/** Runs `work` on `conn` inside BEGIN ... COMMIT, rolling back when it throws. */
export async function inTransaction<T>(conn: DuckDBConnection, work: () => Promise<T>): Promise<T> {
  await conn.run('BEGIN TRANSACTION');
  try {
    const result = await work();
    await conn.run('COMMIT');
    return result;
  } catch (err) {
    await conn.run('ROLLBACK');
    throw err;
  }
}
