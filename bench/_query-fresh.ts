// Child of bench/query.ts: the query latencies on an existing DuckDB store in a process of its own, as
// `honeyscope report` runs after `honeyscope ingest`. Prints them as JSON.
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { measure } from './query.js';

const [path, runs] = process.argv.slice(2);
const store = await DuckDbStore.open(path ?? '');
try {
  process.stdout.write(JSON.stringify(await measure(store, Number(runs))));
} finally {
  await store.close();
}
