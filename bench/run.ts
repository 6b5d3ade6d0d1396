// Runs every benchmark (or those named: `npm run bench -- sensor intel`) and prints their figures as JSON.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
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
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'latest.json'), `${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
if (failed) process.exitCode = 1;
