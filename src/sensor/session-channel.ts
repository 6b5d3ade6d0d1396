import type { Session, ServerChannel, PseudoTtyInfo } from 'ssh2';
import { ShellSession, type ShellHost } from './shell/shell-session.js';
import { TtyRecorder } from './tty-recorder.js';
import type { ConnectionContext } from './connection-context.js';
import { ScpSink, scpSinkTarget } from './file-transfer/scp-sink.js';
import { serveSftp } from './file-transfer/sftp-server.js';
import { homeDirectory } from './shell/home-directory.js';
import { recordUpload } from './file-transfer/record-upload.js';

/**
 * A `session` channel: pty, env, shell and exec requests, wired to the
 * emulated shell, with the terminal recorded as asciicast.
 */
export function handleSession(ctx: ConnectionContext, session: Session, channelNumber: number): void {
  const { config, log } = ctx;
  let pty: PseudoTtyInfo | undefined;
  const env: Record<string, string> = {};
  let started = false;

  session.on('pty', (accept, _reject, info) => {
    pty = info;
    void log.emit('cowrie.client.size', { width: info.cols, height: info.rows }, `Terminal Size: ${info.cols} ${info.rows}`);
    accept?.();
  });
  session.on('window-change', (accept, _reject, info) => {
    void log.emit('cowrie.client.size', { width: info.cols, height: info.rows }, `Terminal Size: ${info.cols} ${info.rows}`);
    accept?.();
  });
  session.on('env', (accept, _reject, info) => {
    if (Object.keys(env).length < 64) env[info.key] = info.val;
    void log.emit('cowrie.client.var', { name: info.key, value: info.val }, `request_env: ${info.key}=${info.val}`);
    accept?.();
  });
  session.on('shell', (accept) => {
    if (started) return;
    started = true;
    run(accept(), undefined);
  });
  session.on('exec', (accept, _reject, info) => {
    if (started) return;
    started = true;
    const sink = scpSinkTarget(info.command);
    if (sink !== undefined) scp(accept(), info.command, sink);
    else run(accept(), info.command);
  });
  session.on('subsystem', (_accept, reject) => reject());
  // ssh2 announces the sftp subsystem as its own request.
  session.on('sftp', (accept, reject) => {
    if (started) return reject();
    started = true;
    serveSftp(accept(), {
      fs: ctx.fs,
      home: homeDirectory(ctx.username),
      maxBytes: config.limits.maxBytesPerSession,
      onUpload: (upload) => ctx.track(recordUpload(ctx, { protocol: 'SFTP', ...upload })),
      onLimit: () => ctx.limit('limits.maxBytesPerSession', config.limits.maxBytesPerSession),
    });
  });
  session.on('x11', (_accept, reject) => reject());
  session.on('auth-agent', (_accept, reject) => reject?.());
  session.on('signal', (accept) => accept?.());

  function scp(channel: ServerChannel, command: string, target: { target: string; isDir: boolean }): void {
    void log.emit('cowrie.session.params', { arch: config.shell.archTag }, '');
    void log.emit('cowrie.command.input', { input: command }, `CMD: ${command}`);
    const sink = new ScpSink({
      target: target.target,
      targetIsDir: target.isDir,
      maxBytes: config.limits.maxBytesPerSession,
      reply: (data) => channel.write(data),
      onFile: (file) => ctx.track(recordUpload(ctx, { protocol: 'SCP', filename: file.name, destfile: file.destfile, data: file.data })),
    });
    channel.on('data', (chunk: Buffer) => {
      sink.data(chunk);
      if (sink.done) {
        channel.exit(1);
        channel.end();
      }
    });
    channel.on('end', () => {
      channel.exit(0);
      channel.end();
    });
    channel.on('error', (err: Error) => ctx.logger.debug({ err: err.message }, 'scp channel error'));
    sink.start();
  }

  function run(channel: ServerChannel, command: string | undefined): void {
    void log.emit('cowrie.session.params', { arch: config.shell.archTag }, '');
    const interactive = command === undefined;
    const recorder = config.shell.recordTty
      ? new TtyRecorder({
          dataDir: config.core.dataDir,
          name: `${log.identity.session}-${channelNumber}`,
          width: pty?.cols ?? 80,
          height: pty?.rows ?? 24,
          term: pty?.term ?? 'xterm',
          maxBytes: config.limits.maxBytesPerSession,
        })
      : undefined;
    let ended = false;
    const host: ShellHost = {
      config,
      username: ctx.username,
      srcIp: log.identity.src_ip,
      logger: ctx.logger,
      fs: ctx.fs,
      write(data) {
        if (ended) return;
        recorder?.record('o', data);
        channel.write(data);
      },
      writeStderr(data) {
        if (ended) return;
        recorder?.record('o', data);
        if (pty) channel.write(data);
        else channel.stderr.write(data);
      },
      exit(code) {
        if (ended) return;
        ended = true;
        channel.exit(code);
        channel.end();
        channel.close();
      },
      emit: (eventid, fields, message) => log.emit(eventid, fields, message),
    };
    // A fault in the emulated shell must end this channel, never the sensor.
    const guard = (work: () => unknown): void => {
      try {
        const result = work();
        if (result instanceof Promise) result.catch(fail);
      } catch (err) {
        fail(err);
      }
    };
    const fail = (err: unknown): void => {
      ctx.logger.error({ err: err instanceof Error ? err.stack : String(err), session: log.identity.session }, 'emulated shell failed; channel closed');
      host.exit(1);
    };
    let shell: ShellSession | undefined;
    guard(() => {
      shell = new ShellSession(host, { pty: pty !== undefined, env });
    });
    if (!shell) return;
    channel.on('data', (chunk: Buffer) => {
      if (ended) return;
      if (ctx.sessionBytes + chunk.length > config.limits.maxBytesPerSession) {
        ctx.limit('limits.maxBytesPerSession', ctx.sessionBytes + chunk.length);
        host.exit(1);
        return;
      }
      ctx.sessionBytes += chunk.length;
      guard(() => shell?.input(chunk));
    });
    // exec stdin ends: `ssh host 'cat > /tmp/x' < payload` gets its upload.
    channel.on('end', () => guard(() => shell?.endInput()));
    channel.on('close', () => {
      ended = true;
      guard(() => shell?.end());
      if (recorder) {
        ctx.track(
          recorder.close().then(
            (result) => result && log.emit('cowrie.log.closed', { ...result }, `Closing TTY Log: ${result.ttylog} after ${result.duration_ms} milliseconds`),
            (err: unknown) => ctx.logger.error({ err: String(err) }, 'cannot close tty recording'),
          ),
        );
      }
    });
    channel.on('error', (err: Error) => ctx.logger.debug({ err: err.message }, 'session channel error'));
    if (interactive) guard(() => shell?.start());
    else guard(() => shell?.exec(command));
  }
}
