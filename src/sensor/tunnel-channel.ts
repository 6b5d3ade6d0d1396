import type { ServerChannel, TcpipRequestInfo } from 'ssh2';
import { encodePythonBytes } from '../protocols/python-bytes.js';
import { createTunnelEmulator, type TunnelEmulator, type TunnelIo } from './tunnels/tunnel-emulator.js';
import type { ConnectionContext } from './connection-context.js';

/**
 * One direct-tcpip channel. The bot is told the connection is open, and an
 * emulator plays the far side; no outbound connection is ever made. Every
 * chunk is logged (up to the byte caps) before the emulator sees it.
 */
export function handleTunnel(ctx: ConnectionContext, channel: ServerChannel, info: TcpipRequestInfo): void {
  const { config } = ctx;
  const dst = { dst_ip: info.destIP, dst_port: info.destPort };
  // ssh2 types leave `incoming` untyped; it holds our local channel number, Cowrie's `id`.
  const id = (channel.incoming as { id: number }).id;
  const started = Date.now();
  let bytesIn = 0;
  let bytesOut = 0;
  let kept = 0;
  let truncated = false;
  let closed = false;
  let idle: NodeJS.Timeout | undefined;

  const io: TunnelIo = {
    dstIp: info.destIP,
    dstPort: info.destPort,
    channelId: id,
    write(data) {
      if (closed) return;
      bytesOut += data.length;
      channel.write(data);
    },
    close: finish,
    emit(eventid, fields, message) {
      void ctx.log.emit(eventid, { ...dst, ...fields }, message);
    },
  };
  const emulator: TunnelEmulator = createTunnelEmulator(io, config.tunnels);

  function armIdle(): void {
    if (idle) clearTimeout(idle);
    idle = setTimeout(finish, config.tunnels.idleTimeoutMs);
    idle.unref();
  }

  function finish(): void {
    if (closed) return;
    closed = true;
    if (idle) clearTimeout(idle);
    // What this channel kept counted against the shared budget until now.
    ctx.budget.release(kept);
    emulator.end();
    void ctx.log.emit(
      'honeyscope.tunnel.closed',
      { ...dst, id, emulator: emulator.kind, bytes_in: bytesIn, bytes_out: bytesOut, truncated, duration_ms: Date.now() - started },
      `tunnel ${id} to ${info.destIP}:${info.destPort} closed after ${bytesIn} bytes in, ${bytesOut} out`,
    );
    channel.end();
    channel.close();
  }

  channel.on('data', (chunk: Buffer) => {
    if (closed) return;
    bytesIn += chunk.length;
    armIdle();
    const over =
      kept + chunk.length > config.limits.maxBytesPerChannel
        ? 'limits.maxBytesPerChannel'
        : ctx.sessionBytes + chunk.length > config.limits.maxBytesPerSession
          ? 'limits.maxBytesPerSession'
          : !ctx.budget.reserve(chunk.length)
            ? 'limits.memoryBudgetBytes'
            : undefined;
    if (over) {
      truncated = true;
      ctx.limit(over, over === 'limits.memoryBudgetBytes' ? ctx.budget.used + chunk.length : kept + chunk.length);
      finish();
      return;
    }
    // The reservation lasts as long as the channel: kept bytes are what its emulator may hold.
    kept += chunk.length;
    ctx.sessionBytes += chunk.length;
    const data = encodePythonBytes(chunk);
    void ctx.log.emit(
      'cowrie.direct-tcpip.data',
      { ...dst, data, data_b64: chunk.toString('base64'), id },
      `direct-tcp forward request ${id} to ${info.destIP}:${info.destPort} with data ${data}`,
    );
    emulator.data(chunk);
  });
  channel.on('eof', finish);
  channel.on('end', finish);
  channel.on('close', finish);
  channel.on('error', (err: Error) => {
    ctx.logger.debug({ err: err.message, session: ctx.log.identity.session }, 'tunnel channel error');
    finish();
  });
  armIdle();
  emulator.start();
}
