import { storeArtifact } from '../downloads/store-artifact.js';
import type { ConnectionContext } from '../connection-context.js';

/** Stores an uploaded file as DATA/downloads/<sha256> and logs Cowrie's file_upload. */
export async function recordUpload(ctx: ConnectionContext, upload: { protocol: 'SCP' | 'SFTP'; filename: string; destfile: string; data: Buffer }): Promise<void> {
  try {
    const stored = await storeArtifact(ctx.config.core.dataDir, upload.data);
    await ctx.log.emit(
      'cowrie.session.file_upload',
      { filename: upload.filename, duplicate: stored.duplicate, url: upload.destfile, outfile: stored.outfile, shasum: stored.shasum, destfile: upload.destfile },
      `${upload.protocol} Uploaded file "${upload.filename}" to ${stored.outfile}`,
    );
  } catch (err) {
    ctx.logger.error({ err: String(err), session: ctx.log.identity.session }, 'cannot store uploaded file');
  }
}
