// Runs every benchmark (or those named: `npm run bench -- sensor intel`) and prints their figures as JSON.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const modules = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.slice(0, -3))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

const results: Record<string, unknown> = {};
let failed = false;
for (const name of modules) {
  process.stderr.write(`bench: ${name}...\n`);
  const started = Date.now();
  try {
    const mod = (await import(join(here, `${name}.ts`))) as { run: () => Promise<Record<string, unknown>> };
    results[name] = { ...(await mod.run()), seconds: (Date.now() - started) / 1000 };
  } catch (err) {
    failed = true;
    results[name] = { error: err instanceof Error ? err.stack ?? err.message : String(err) };
  }
  process.stderr.write(`bench: ${name}: ${JSON.stringify(results[name])}\n`);
}
// Merged with earlier runs, so running one benchmark keeps the others' last figures.
const file = join(here, 'results', 'latest.json');
mkdirSync(dirname(file), { recursive: true });
const earlier = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { results?: Record<string, unknown> }).results ?? {} : {};
const stamped = Object.fromEntries(Object.entries(results).map(([name, figures]) => [name, { date: new Date().toISOString(), ...(figures as object) }]));
writeFileSync(file, `${JSON.stringify({ results: { ...earlier, ...stamped } }, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
if (failed) process.exitCode = 1;
