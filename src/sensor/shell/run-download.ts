import { readFile } from 'node:fs/promises';
import { errorMessage } from '../../lib/errors.js';
import { fetchUrl } from '../downloads/fetch-url.js';
import type { DownloadOutcome, DownloadRequest, ShellState } from './command.js';
import { FsError } from './fake-fs.js';

/** Bytes of a download handed back to a command writing to stdout (`curl URL | sh`). */
const STDOUT_LIMIT = 1024 * 1024;
/** Fetches one session may make (Cowrie caps SCP uploads at 20 per session likewise). */
export const MAX_FETCHES_PER_SESSION = 20;

const fetchCounts = new WeakMap<ShellState, number>();

/**
 * Applies config.download to a wget/curl/tftp request and logs it: the URL is
 * always recorded (file_download or file_download.failed). In `off` mode, and
 * for tftp, nothing is fetched.
 */
export async function runDownload(shell: ShellState, request: DownloadRequest, signal: AbortSignal): Promise<DownloadOutcome> {
  const { url } = request;
  const config = shell.config.download;
  if (config.mode === 'off') return fail(shell, url, { stage: 'off', reason: 'download.mode=off' });
  if (url.startsWith('tftp://')) return fail(shell, url, { stage: 'unsupported', reason: 'tftp is not fetched' });
  const count = (fetchCounts.get(shell) ?? 0) + 1;
  fetchCounts.set(shell, count);
  if (count > MAX_FETCHES_PER_SESSION) {
    return fail(shell, url, { stage: 'limit', reason: `more than ${MAX_FETCHES_PER_SESSION} downloads in this session` });
  }
  const result = await fetchUrl(url, {
    download: config,
    dataDir: shell.config.core.dataDir,
    signal,
  });
  if (!result.ok) return fail(shell, url, { stage: result.stage, reason: result.reason });
  const { artifact } = result;
  await shell.emit(
    'cowrie.session.file_download',
    { url, outfile: artifact.outfile, shasum: artifact.shasum, destfile: request.destfile ?? '-', duplicate: artifact.duplicate },
    `Downloaded URL (${url}) with SHA-256 ${artifact.shasum} to ${artifact.outfile}`,
  );
  let data: Buffer | undefined;
  if (request.destfile !== undefined) {
    try {
      shell.fs.linkArtifact(request.destfile, { realPath: artifact.path, size: artifact.size });
    } catch (err) {
      if (!(err instanceof FsError)) throw err;
      return { ok: false, url, stage: 'limit', reason: `${request.destfile}: ${err.message}` };
    }
  } else {
    try {
      data = await readFile(artifact.path);
      if (data.length > STDOUT_LIMIT) data = data.subarray(0, STDOUT_LIMIT);
    } catch (err) {
      shell.logger.error({ err: errorMessage(err), path: artifact.path }, 'cannot read stored download');
    }
  }
  return { ok: true, url, size: artifact.size, shasum: artifact.shasum, data, contentType: result.contentType, address: result.address };
}

async function fail(shell: ShellState, url: string, failure: { stage: Extract<DownloadOutcome, { ok: false }>['stage']; reason: string }): Promise<DownloadOutcome> {
  await shell.emit('cowrie.session.file_download.failed', { url, reason: failure.reason }, `Attempt to download file(s) from URL (${url}) failed`);
  return { ok: false, url, ...failure };
}
