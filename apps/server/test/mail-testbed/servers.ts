import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';

/** How one test mail server behaves. */
export interface SmtpServerBehaviour {
  /** Omit for a server without STARTTLS. */
  tls?: {
    key: string;
    cert: string;
    minVersion?: tls.SecureVersion;
    maxVersion?: tls.SecureVersion;
    ciphers?: string;
  };
  /** Accept the TCP connection and never say a word. */
  isSilent?: boolean;
}

export interface ReceivedMessage {
  mailFrom: string;
  rcptTo: string[];
  data: string;
  isTls: boolean;
}

export interface TestSmtpServer {
  received: ReceivedMessage[];
  /** Every command verb received, with `tls:` in front once STARTTLS is up. */
  commands: string[];
  connections: number;
  /** Highest number of connections open at the same time: shows the one-at-a-time rule. */
  maxConcurrent: number;
  close(): Promise<void>;
}

/**
 * A tiny SMTP server on `address:25` with full control over TLS versions and suites (smtp-server
 * would need `@SECLEVEL=0` plumbing for TLS 1.0). It records what it receives.
 */
export function startSmtpServer(
  address: string,
  behaviour: SmtpServerBehaviour,
  port = 25,
): Promise<TestSmtpServer> {
  const state: TestSmtpServer = {
    received: [],
    commands: [],
    connections: 0,
    maxConcurrent: 0,
    close: async () => {},
  };
  let open = 0;
  const sockets = new Set<net.Socket>();
  const secureContext = behaviour.tls
    ? tls.createSecureContext({
        key: behaviour.tls.key,
        cert: behaviour.tls.cert,
        minVersion: behaviour.tls.minVersion ?? 'TLSv1',
        maxVersion: behaviour.tls.maxVersion ?? 'TLSv1.3',
        ciphers: behaviour.tls.ciphers ?? 'DEFAULT:@SECLEVEL=0',
      })
    : undefined;
  const server = net.createServer((plain) => {
    state.connections++;
    open++;
    state.maxConcurrent = Math.max(state.maxConcurrent, open);
    sockets.add(plain);
    let isCounted = true;
    // The client's FIN ends its share of the one-connection budget, even before our side has closed.
    const release = () => {
      if (isCounted) open--;
      isCounted = false;
    };
    plain.on('end', release);
    plain.on('close', () => {
      release();
      sockets.delete(plain);
    });
    plain.on('error', () => {});
    if (behaviour.isSilent) return;
    converse(plain, false);
  });

  function converse(socket: net.Socket, isTls: boolean): void {
    let buffer = '';
    let inData = false;
    let message: ReceivedMessage = { mailFrom: '', rcptTo: [], data: '', isTls };
    const say = (line: string) => socket.write(`${line}\r\n`);
    if (!isTls) say('220 mx.test ESMTP test bed');
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        const index = buffer.indexOf('\r\n');
        if (index < 0) return;
        const line = buffer.slice(0, index);
        buffer = buffer.slice(index + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            state.received.push(message);
            message = { mailFrom: '', rcptTo: [], data: '', isTls };
            say('250 2.0.0 queued');
          } else message.data += `${line.startsWith('..') ? line.slice(1) : line}\n`;
          continue;
        }
        const verb = line.split(' ')[0]?.toUpperCase();
        state.commands.push(`${isTls ? 'tls:' : ''}${verb ?? ''}`);
        if (verb === 'EHLO') {
          const extensions = [
            '250-mx.test',
            '250-PIPELINING',
            ...(secureContext && !isTls ? ['250-STARTTLS'] : []),
            '250 8BITMIME',
          ];
          socket.write(`${extensions.join('\r\n')}\r\n`);
        } else if (verb === 'STARTTLS' && secureContext && !isTls) {
          socket.removeListener('data', onData);
          say('220 2.0.0 go ahead');
          const secure = new tls.TLSSocket(socket, { isServer: true, secureContext });
          secure.on('error', () => socket.destroy());
          converse(secure, true);
          return;
        } else if (verb === 'MAIL') {
          message.mailFrom = line.slice(10).replace(/[<>]/g, '');
          say('250 2.1.0 ok');
        } else if (verb === 'RCPT') {
          message.rcptTo.push(line.slice(8).replace(/[<>]/g, ''));
          say('250 2.1.5 ok');
        } else if (verb === 'DATA') {
          inData = true;
          say('354 go on');
        } else if (verb === 'QUIT') {
          say('221 2.0.0 bye');
          socket.end();
        } else if (verb === 'RSET' || verb === 'NOOP') say('250 ok');
        else say('502 5.5.2 not implemented');
      }
    };
    socket.on('data', onData);
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: address, port }, () => {
      state.close = () =>
        new Promise<void>((done) => {
          for (const s of sockets) s.destroy();
          server.close(() => done());
        });
      resolve(state);
    });
  });
}

/** An HTTPS server for `mta-sts.<domain>` that serves each domain's policy by Host header. */
export function startPolicyServer(
  address: string,
  keyPair: { key: string; chain: string },
  policies: Map<string, string>,
): Promise<{ close(): Promise<void> }> {
  const server = https.createServer({ key: keyPair.key, cert: keyPair.chain }, (request, response) => {
    const host = (request.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const policy = policies.get(host);
    if (request.url !== '/.well-known/mta-sts.txt' || policy === undefined) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain' }).end(policy);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: address, port: 443 }, () =>
      resolve({
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      }),
    );
  });
}
