import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { MAX_REPORTED_MALFORMED, ingestFiles, type IngestProgress } from '../../store/ingest/ingest-files.js';
import { STDIN, listInputs } from '../../store/ingest/list-inputs.js';
import { openStore } from '../../store/open-store.js';
import { resolveConfig, withCommonOptions, type CommonOptions } from '../common-options.js';
import { endQuietlyOnEpipe } from '../end-quietly-on-epipe.js';

interface IngestCommandOptions extends CommonOptions {
  strict?: boolean;
}

export function registerIngest(program: Command): void {
  withCommonOptions(
    program
      .command('ingest')
      .description('store Cowrie JSON logs of any era (files, .gz, directories of rotated logs, - for stdin); idempotent and resumable')
      .argument('<paths...>', 'log files or directories; - reads standard input')
      .option('--strict', 'stop at the first malformed line instead of counting and reporting it'),
    { store: true },
  ).action(async (paths: string[], opts: IngestCommandOptions) => {
    const config = resolveConfig(opts);
    endQuietlyOnEpipe();
    const store = await openStore(config);
    const bar = process.stderr.isTTY ? await progressBar(paths) : undefined;
    try {
      let shown = 0;
      const summary = await ingestFiles(store, paths, {
        strict: opts.strict ?? false,
        ...(bar ? { onProgress: bar.update } : {}),
        onMalformed: (m) => {
          // A corrupt archive can yield thousands: the first ones say what is wrong, the count says how much.
          if (shown++ >= MAX_REPORTED_MALFORMED) return;
          bar?.stop();
          process.stderr.write(`honeyscope: ${m.message}\n`);
        },
        onUnreadable: (message) => {
          bar?.stop();
          process.stderr.write(`honeyscope: ${message}; what came before is stored, the other inputs are still read\n`);
        },
      });
      bar?.stop();
      if (summary.malformed > MAX_REPORTED_MALFORMED) process.stderr.write(`honeyscope: ... and ${summary.malformed - MAX_REPORTED_MALFORMED} more malformed lines\n`);
      for (const f of summary.files) {
        if (f.unfinishedLine !== undefined) process.stderr.write(`honeyscope: "${f.file}" line ${f.unfinishedLine} has no newline yet and is no whole event: left for the next run\n`);
      }
      const secs = summary.elapsedMs / 1000;
      process.stdout.write(
        `Read ${summary.lines} events from ${summary.files.length} input(s) in ${secs.toFixed(1)} s (${Math.round(summary.lines / Math.max(secs, 1e-3))} events/s): ` +
          `${summary.inserted} new, ${summary.duplicates} already stored, ${summary.malformed} malformed` +
          `${summary.unreadable > 0 ? `, ${summary.unreadable} input(s) not readable to the end` : ''}\n`,
      );
      if (summary.inserted > 0) {
        // Here rather than in the first dashboard or report query after a big load.
        const started = performance.now();
        await store.foldRollups();
        process.stdout.write(`Brought the report rollups up to date in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      }
      if (summary.malformed > 0 || summary.unreadable > 0) process.exitCode = 1;
    } finally {
      bar?.stop();
      await store.close();
    }
  });
}

/** A bar over the input bytes, with events/s. */
async function progressBar(paths: string[]): Promise<{ update: (p: IngestProgress) => void; stop: () => void }> {
  const files = (await listInputs(paths)).filter((f) => f !== STDIN);
  const sizes = new Map<string, number>();
  for (const f of files) sizes.set(f, (await stat(f)).size);
  const total = [...sizes.values()].reduce((s, n) => s + n, 0);
  const bar = new cliProgress.SingleBar(
    { format: 'ingest |{bar}| {percentage}% | {events} events | {rate} events/s', stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(Math.max(total, 1), 0, { events: 0, rate: 0 });
  const started = performance.now();
  let done = 0;
  let currentFile = '';
  let events = 0;
  let fileEvents = 0;
  let stopped = false;
  return {
    update(p) {
      if (p.file !== currentFile) {
        done += sizes.get(currentFile) ?? 0;
        currentFile = p.file;
        fileEvents = 0;
      }
      events += p.lines - fileEvents;
      fileEvents = p.lines;
      const secs = (performance.now() - started) / 1000;
      bar.update(Math.min(total, done + Math.min(p.fileOffset, sizes.get(p.file) ?? 0)), { events, rate: Math.round(events / Math.max(secs, 1e-3)) });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}
