import net from 'node:net';
import tls from 'node:tls';

/** Time limits for each step of an SMTP conversation; every wait has one so nothing can hang. */
export interface SmtpTimeouts {
  connectMs: number;
  /** The 220 greeting; some servers delay it on purpose (greet-pause), so this one is the longest. */
  greetingMs: number;
  commandMs: number;
  handshakeMs: number;
}

export const defaultSmtpTimeouts: SmtpTimeouts = {
  connectMs: 10_000,
  greetingMs: 20_000,
  commandMs: 10_000,
  handshakeMs: 10_000,
};

/** Why an SMTP conversation stopped before TLS was up. */
export const SmtpFailure = {
  unreachable: 'unreachable',
  timeout: 'timeout',
  rejected: 'rejected',
  noStartTls: 'no_starttls',
  handshake: 'handshake_failed',
  protocol: 'protocol_error',
} as const;
export type SmtpFailure = (typeof SmtpFailure)[keyof typeof SmtpFailure];

export class SmtpSessionError extends Error {
  override name = 'SmtpSessionError';
  readonly failure: SmtpFailure;
  constructor(failure: SmtpFailure, message: string) {
    super(message);
    this.failure = failure;
  }
}

export interface SmtpReply {
  code: number;
  lines: string[];
}

/** TLS settings for one STARTTLS handshake; the probe narrows versions and suites, delivery uses strict ones. */
export interface StartTlsSettings {
  servername: string;
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  ciphers?: string;
  /** Extra trust anchors (PEM) added to Node's bundled roots for the PKIX verdict. */
  extraCa?: string[];
}

/** A line-oriented SMTP conversation over a plain socket that can be upgraded with STARTTLS. */
export class SmtpSession {
  private buffer = '';
  private waiter: ((error?: Error) => void) | undefined;
  private closedError: Error | undefined;
  private socket: net.Socket;
  private readonly timeouts: SmtpTimeouts;

  private constructor(socket: net.Socket, timeouts: SmtpTimeouts) {
    this.socket = socket;
    this.timeouts = timeouts;
    this.attach(socket);
  }

  /** Opens a TCP connection to `address:port`; fails with `unreachable` or `timeout`. */
  static connect(address: string, port: number, timeouts: SmtpTimeouts): Promise<SmtpSession> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: address, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new SmtpSessionError(
            SmtpFailure.timeout,
            `no TCP connection to ${address}:${port} within ${timeouts.connectMs} ms`,
          ),
        );
      }, timeouts.connectMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(
          new SmtpSessionError(
            SmtpFailure.unreachable,
            `cannot connect to ${address}:${port}: ${error.message}`,
          ),
        );
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new SmtpSession(socket, timeouts));
      });
    });
  }

  get tlsSocket(): tls.TLSSocket | undefined {
    return this.socket instanceof tls.TLSSocket ? this.socket : undefined;
  }

  private attach(socket: net.Socket): void {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      // Bound memory: a server that streams without line ends is broken or hostile.
      if (this.buffer.length > 64 * 1024)
        this.fail(new SmtpSessionError(SmtpFailure.protocol, 'reply too long'));
      this.wake();
    });
    socket.on('error', (error) => this.fail(new SmtpSessionError(SmtpFailure.protocol, error.message)));
    socket.on('close', () =>
      this.fail(new SmtpSessionError(SmtpFailure.protocol, 'connection closed by the server')),
    );
  }

  private fail(error: Error): void {
    this.closedError ??= error;
    this.wake();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  /** Reads one (possibly multi-line) reply within `timeoutMs`. */
  async readReply(timeoutMs: number = this.timeouts.commandMs, step = 'reply'): Promise<SmtpReply> {
    const deadline = Date.now() + timeoutMs;
    const lines: string[] = [];
    for (;;) {
      const newline = this.buffer.indexOf('\n');
      if (newline >= 0) {
        const line = this.buffer.slice(0, newline).replace(/\r$/, '');
        this.buffer = this.buffer.slice(newline + 1);
        const match = /^(\d{3})([ -])(.*)$/.exec(line);
        if (!match)
          throw new SmtpSessionError(SmtpFailure.protocol, `malformed SMTP line: ${line.slice(0, 80)}`);
        lines.push(match[3] ?? '');
        if (match[2] === ' ') return { code: Number(match[1]), lines };
        continue;
      }
      if (this.closedError) throw this.closedError;
      const remaining = deadline - Date.now();
      if (remaining <= 0)
        throw new SmtpSessionError(SmtpFailure.timeout, `no ${step} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.waiter = undefined;
          resolve();
        }, remaining);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Sends one command line and reads its reply. */
  async command(line: string, timeoutMs: number = this.timeouts.commandMs): Promise<SmtpReply> {
    if (this.closedError) throw this.closedError;
    this.socket.write(`${line}\r\n`);
    return this.readReply(timeoutMs, `reply to ${line.split(' ')[0]}`);
  }

  /** Writes raw bytes (the DATA body), without waiting for a reply. */
  write(data: string): void {
    this.socket.write(data);
  }

  /** Reads the greeting and sends EHLO; returns the EHLO keywords in upper case. */
  async greet(ehloName: string): Promise<string[]> {
    const greeting = await this.readReply(this.timeouts.greetingMs, 'greeting');
    if (greeting.code !== 220)
      throw new SmtpSessionError(
        SmtpFailure.rejected,
        `greeting ${greeting.code} ${greeting.lines[0] ?? ''}`,
      );
    return this.ehlo(ehloName);
  }

  async ehlo(ehloName: string): Promise<string[]> {
    const reply = await this.command(`EHLO ${ehloName}`);
    if (reply.code !== 250) throw new SmtpSessionError(SmtpFailure.rejected, `EHLO answered ${reply.code}`);
    return reply.lines.slice(1).map((l) => l.toUpperCase());
  }

  /**
   * Sends STARTTLS and performs the handshake. Certificate verification never aborts the handshake
   * here (rejectUnauthorized is false) because DANE decides after it; callers read `authorized`.
   */
  async startTls(settings: StartTlsSettings): Promise<tls.TLSSocket> {
    const reply = await this.command('STARTTLS');
    if (reply.code !== 220)
      throw new SmtpSessionError(SmtpFailure.noStartTls, `STARTTLS answered ${reply.code}`);
    if (this.buffer.length > 0)
      throw new SmtpSessionError(SmtpFailure.protocol, 'data after STARTTLS reply (command injection)');
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('error');
    plain.removeAllListeners('close');
    const secure = await this.handshake(plain, settings).catch((error: unknown) => {
      // The plain socket is spent either way; mark the session closed so close() does not wait for QUIT.
      this.closedError = error instanceof Error ? error : new Error(String(error));
      plain.destroy();
      throw error;
    });
    this.socket = secure;
    this.closedError = undefined;
    this.attach(secure);
    return secure;
  }

  private handshake(plain: net.Socket, settings: StartTlsSettings): Promise<tls.TLSSocket> {
    return new Promise<tls.TLSSocket>((resolve, reject) => {
      const socket = tls.connect({
        socket: plain,
        servername: settings.servername,
        rejectUnauthorized: false,
        ca: [...tls.rootCertificates, ...(settings.extraCa ?? [])],
        ...(settings.minVersion ? { minVersion: settings.minVersion } : {}),
        ...(settings.maxVersion ? { maxVersion: settings.maxVersion } : {}),
        ...(settings.ciphers ? { ciphers: settings.ciphers } : {}),
      });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new SmtpSessionError(
            SmtpFailure.timeout,
            `no TLS handshake within ${this.timeouts.handshakeMs} ms`,
          ),
        );
      }, this.timeouts.handshakeMs);
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(socket);
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new SmtpSessionError(SmtpFailure.handshake, error.message));
      });
    });
  }

  /** Says QUIT politely when possible, then closes. Never throws. */
  async close(): Promise<void> {
    if (!this.closedError) {
      try {
        await this.command('QUIT', 2000);
      } catch {
        // The server may drop the line first; closing anyway is fine.
      }
    }
    // Wait until the socket is really closed, so "one connection at a time" holds on the wire too.
    const socket = this.socket;
    await new Promise<void>((resolve) => {
      if (socket.closed) return resolve();
      const timer = setTimeout(resolve, 1000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.end();
      socket.destroySoon();
    });
    socket.destroy();
  }

  destroy(): void {
    this.socket.destroy();
  }
}
