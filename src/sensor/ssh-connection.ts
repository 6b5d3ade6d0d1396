import { randomUUID, createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import type { AuthContext, Connection } from 'ssh2';
import { EventLog } from '../events/event-log.js';
import type { EventDispatcher } from '../events/dispatcher.js';
import { escapeNonPrintable } from '../lib/escape-nonprintable.js';
import { normalizeIp } from '../lib/normalize-ip.js';
import type { Logger } from '../lib/logger.js';
import type { ResolvedConfig } from '../config/schema.js';
import { hassh, parseSshPreamble } from '../protocols/ssh-preamble.js';
import type { AuthPolicy } from './auth-policy.js';
import type { ByteBudget } from './byte-budget.js';
import type { ConnectionContext } from './connection-context.js';
import type { FakeFs } from './shell/fake-fs.js';
import { createSessionFs } from './shell/session-fs.js';
import { handleSession } from './session-channel.js';
import { handleTunnel } from './tunnel-channel.js';

export interface SensorShared {
  readonly config: ResolvedConfig;
  readonly dispatcher: EventDispatcher;
  readonly logger: Logger;
  readonly auth: AuthPolicy;
  readonly budget: ByteBudget;
}

const PREAMBLE_CAP = 40_000;
const FINISH_GRACE_MS = 2000;
/** The longest cowrie.session.closed waits for the session's other last events. */
const LAST_EVENTS_MS = 2000;
const AUTH_METHODS = ['password', 'keyboard-interactive', 'publickey'] as const;

/**
 * The sensor side of one TCP connection, from accept to close. Identity is
 * bound here once; the ident and KEXINIT are read from the cleartext start of
 * the stream (ssh2 does not expose the client's lists), then ssh2 speaks SSH.
 */
export class SshConnection {
  readonly log: EventLog;
  readonly #shared: SensorShared;
  readonly #socket: Socket;
  readonly #started = Date.now();
  readonly #limitsReported = new Set<string>();
  #preamble: Buffer | undefined;
  #versionLogged = false;
  #authAttempts = 0;
  #channels = 0;
  #closed = false;
  #loginTimer: NodeJS.Timeout;
  #sessionTimer: NodeJS.Timeout;
  #ctx: ConnectionContext | undefined;
  #username = '';
  readonly #pending = new Set<Promise<unknown>>();

  constructor(shared: SensorShared, socket: Socket) {
    this.#shared = shared;
    this.#socket = socket;
    const srcIp = normalizeIp(socket.remoteAddress);
    const dstIp = normalizeIp(socket.localAddress);
    this.log = new EventLog(
      { session: sessionId(), protocol: 'ssh', src_ip: srcIp, src_port: socket.remotePort ?? 0, dst_ip: dstIp, dst_port: socket.localPort ?? 0 },
      shared.dispatcher,
    );
    const { limits } = shared.config;
    this.#loginTimer = setTimeout(() => this.#timeout('limits.loginGraceMs', limits.loginGraceMs), limits.loginGraceMs);
    this.#sessionTimer = setTimeout(() => this.#timeout('limits.sessionTimeoutMs', limits.sessionTimeoutMs), limits.sessionTimeoutMs);
    socket.setTimeout(limits.idleTimeoutMs, () => this.#timeout('limits.idleTimeoutMs', limits.idleTimeoutMs));
    socket.on('data', this.#tap);
    // Runs before ssh2's listener (the sensor injects the socket after this
    // constructor). ssh2 writes each packet as soon as it is made; corked, the
    // packets one incoming chunk produces (KEXDH reply + NEWKEYS, EXT_INFO +
    // SERVICE_ACCEPT) leave in one system call.
    socket.on('data', this.#corkForTick);
    socket.on('error', (err) => shared.logger.debug({ err: err.message, session: this.log.identity.session }, 'socket error'));
    socket.once('close', () => this.#onClose());
    // ssh2 answers protocol errors with end(), a half-close a hostile client can
    // hold open for ever: once our side is finished, give the client a moment to
    // read the last bytes, then drop it.
    socket.once('finish', () => setTimeout(() => socket.destroy(), FINISH_GRACE_MS).unref());
  }

  /** Logs the connection; call before handing the socket to ssh2. */
  announce(): void {
    const { src_ip, src_port, dst_ip, dst_port, session } = this.log.identity;
    void this.log.emit('cowrie.session.connect', {}, `New connection: ${src_ip}:${src_port} (${dst_ip}:${dst_port}) [session: ${session}]`);
  }

  /** Refuses the connection at a limit: logged, then closed. */
  refuse(limit: string, value: number): void {
    this.announce();
    this.limit(limit, value);
    this.#socket.destroy();
  }

  limit(limit: string, value: number): void {
    if (this.#limitsReported.has(limit)) return;
    this.#limitsReported.add(limit);
    void this.log.emit('honeyscope.session.limit', { limit, value }, `limit ${limit} reached (${value})`);
  }

  readonly #corkForTick = (): void => {
    this.#socket.cork();
    process.nextTick(uncork, this.#socket);
  };

  readonly #tap = (chunk: Buffer): void => {
    this.#preamble = this.#preamble ? Buffer.concat([this.#preamble, chunk]) : chunk;
    const parsed = parseSshPreamble(this.#preamble);
    if (parsed.ident !== undefined && !this.#versionLogged) {
      // Logged as soon as it arrives, so a client that stalls after it is still identified.
      this.#versionLogged = true;
      const version = escapeNonPrintable(parsed.ident);
      void this.log.emit('cowrie.client.version', { version }, `Remote SSH version: ${version}`);
    }
    if (!parsed.done && this.#preamble.length < PREAMBLE_CAP) return;
    this.#socket.off('data', this.#tap);
    this.#preamble = undefined;
    const kex = parsed.kexinit;
    if (kex) {
      const h = hassh(kex);
      // Cowrie's key order, built in one go.
      const fields = { hassh: h.hassh, hasshAlgorithms: h.hasshAlgorithms, kexAlgs: kex.kexAlgs, keyAlgs: kex.keyAlgs, encCS: kex.encCS, macCS: kex.macCS, compCS: kex.compCS, langCS: kex.langCS };
      void this.log.emit('cowrie.client.kex', fields, `SSH client hassh fingerprint: ${h.hassh}`);
    }
  };

  /** Called by the sensor when ssh2 has parsed the client's ident. */
  attach(client: Connection): void {
    client.on('authentication', (ctx) => this.#authenticate(ctx));
    client.on('ready', () => clearTimeout(this.#loginTimer));
    client.on('session', (accept, reject) => {
      if (!this.#takeChannel()) return reject();
      const session = accept();
      handleSession(this.#context(), session, this.#channels - 1);
    });
    client.on('tcpip', (accept, reject, info) => {
      const { session } = this.log.identity;
      void this.log.emit(
        'cowrie.direct-tcpip.request',
        { dst_ip: info.destIP, dst_port: info.destPort, orig_ip: info.srcIP, orig_port: info.srcPort },
        `direct-tcp connection request to ${info.destIP}:${info.destPort} from ${info.srcIP}:${info.srcPort}`,
      );
      if (!this.#shared.config.tunnels.enabled || !this.#takeChannel()) {
        this.#shared.logger.debug({ session }, 'tunnel refused');
        return reject();
      }
      handleTunnel(this.#context(), accept(), info);
    });
    client.on('request', (_accept, reject) => reject?.());
    client.on('openssh.streamlocal', (_accept, reject) => reject());
    client.on('error', (err: Error & { level?: string }) => {
      void this.log.emit('honeyscope.client.error', { reason: err.message.slice(0, 200) }, `client error: ${err.message.slice(0, 200)}`);
      this.#socket.destroy();
    });
  }

  /** Made at the first channel, which ssh2 only allows after a successful login. */
  #context(): ConnectionContext {
    let fs: FakeFs | undefined;
    const config = this.#shared.config;
    const username = this.#username;
    this.#ctx ??= {
      get fs() {
        return (fs ??= createSessionFs(config, username, Date.now));
      },
      config: this.#shared.config,
      logger: this.#shared.logger,
      log: this.log,
      budget: this.#shared.budget,
      username: this.#username,
      sessionBytes: 0,
      limit: (limit, value) => this.limit(limit, value),
      track: (work) => {
        const settled = work.then(
          () => undefined,
          () => undefined,
        );
        this.#pending.add(settled);
        void settled.then(() => this.#pending.delete(settled));
      },
    };
    return this.#ctx;
  }

  #takeChannel(): boolean {
    if (this.#channels >= this.#shared.config.limits.maxChannelsPerSession) {
      this.limit('limits.maxChannelsPerSession', this.#channels + 1);
      return false;
    }
    this.#channels += 1;
    return true;
  }

  #authenticate(ctx: AuthContext): void {
    const { config } = this.#shared;
    const methods = AUTH_METHODS.filter((m) => (m === 'publickey' ? config.auth.publickey : m === 'keyboard-interactive' ? config.auth.keyboardInteractive : true));
    if (ctx.method !== 'none') this.#authAttempts += 1;
    if (this.#authAttempts > config.limits.maxAuthAttempts) {
      this.limit('limits.maxAuthAttempts', this.#authAttempts);
      ctx.reject([], false);
      this.#socket.destroy();
      return;
    }
    switch (ctx.method) {
      case 'password':
        this.#password(ctx, ctx.username, ctx.password, methods);
        return;
      case 'keyboard-interactive':
        ctx.prompt([{ prompt: 'Password: ', echo: false }], (answers) => this.#password(ctx, ctx.username, answers[0] ?? '', methods));
        return;
      case 'publickey': {
        const fingerprint = md5Fingerprint(ctx.key.data);
        if (!ctx.signature) {
          void this.log.emit(
            'cowrie.client.fingerprint',
            { username: escapeNonPrintable(ctx.username), fingerprint, key: ctx.key.data.toString('base64'), type: ctx.key.algo },
            `public key attempt for user ${escapeNonPrintable(ctx.username)} of type ${ctx.key.algo} with fingerprint ${fingerprint}`,
          );
        }
        ctx.reject(methods);
        return;
      }
      default:
        ctx.reject(methods);
    }
  }

  #password(ctx: AuthContext, username: string, password: string, methods: typeof AUTH_METHODS[number][]): void {
    const ok = this.#shared.auth.check(this.log.identity.src_ip, username, password);
    const user = escapeNonPrintable(username);
    const pass = escapeNonPrintable(password);
    void this.log.emit(ok ? 'cowrie.login.success' : 'cowrie.login.failed', { username: user, password: pass }, `login attempt [${user}/${pass}] ${ok ? 'succeeded' : 'failed'}`);
    if (ok) {
      this.#username = username;
      ctx.accept();
      return;
    }
    const delay = this.#shared.config.sensor.authFailDelayMs;
    if (delay === 0) return ctx.reject(methods);
    setTimeout(() => {
      if (!this.#closed) ctx.reject(methods);
    }, delay).unref();
  }

  #timeout(limit: string, value: number): void {
    if (this.#closed) return;
    this.limit(limit, value);
    this.#socket.destroy();
  }

  #onClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#loginTimer);
    clearTimeout(this.#sessionTimer);
    const duration = Date.now() - this.#started;
    void this.#lastEvents().then(() => {
      void this.log.emit('cowrie.session.closed', { duration_ms: duration }, `Connection lost after ${duration} milliseconds`).finally(() => this.log.close());
      this.onClosed?.();
    });
  }

  /**
   * Lets the channels log what they still have to say before the session's
   * last event, as in Cowrie: ssh2 closes them after the socket, and their
   * uploads and TTY logs finish on disk. Bounded, so a stuck write cannot keep a
   * connection (or a shutdown) open.
   */
  async #lastEvents(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    if (this.#pending.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), LAST_EVENTS_MS)));
    try {
      // Work may start more work (a TTY log closes after the shell that wrote it).
      while (this.#pending.size > 0) {
        if (await Promise.race([Promise.all(this.#pending).then(() => false), deadline])) return;
      }
    } finally {
      clearTimeout(timer);
    }
  }

  onClosed: (() => void) | undefined;
}

function uncork(socket: Socket): void {
  socket.uncork();
}

/** Cowrie's session id: 12 random hex digits, here from a random UUID (its first 12 digits are random), which Node serves from a cached random pool instead of one OpenSSL call per connection. */
function sessionId(): string {
  const uuid = randomUUID();
  return uuid.slice(0, 8) + uuid.slice(9, 13);
}

function md5Fingerprint(key: Buffer): string {
  return createHash('md5').update(key).digest('hex').replace(/(..)(?!$)/g, '$1:');
}
