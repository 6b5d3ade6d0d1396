const HANDLED = new WeakSet<NodeJS.WritableStream>();

/**
 * Ends the command quietly when the reader of `stream` goes away (`| head`),
 * as a C tool ends on SIGPIPE: nothing more can be shown, so the rest of the
 * output is moot. Any other error of the stream is thrown as before. A stream
 * gets one handler, the first one set: commands run in one process (tests) add no more.
 */
export function endQuietlyOnEpipe(stream: NodeJS.WritableStream = process.stdout, onEpipe: () => void = exitNow): void {
  if (HANDLED.has(stream)) return;
  HANDLED.add(stream);
  stream.on('error', function onOutputError(err: NodeJS.ErrnoException) {
    if (err.code !== 'EPIPE') throw err;
    onEpipe();
  });
}

function exitNow(): never {
  // Writes still waiting for 'drain' would wait forever; the exit code set so far stands.
  process.exit();
}
