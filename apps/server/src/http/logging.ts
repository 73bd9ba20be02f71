import type { FastifyServerOptions } from 'fastify';

/**
 * Logs never hold secrets or personal data: cookies, authorization and link-proof headers and
 * bodies are redacted, and URLs are logged without their query string (links carry tokens only in the
 * #fragment, which browsers never send, but a query could still hold an address).
 */
export const redactPaths = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-zegel-link-proof"]',
  'res.headers["set-cookie"]',
  'body',
  'req.body',
  '*.loginSecret',
  '*.token',
  '*.code',
  '*.email',
];

/**
 * The server's pino options. `readable` (embedded mode, a person at a terminal) prints one short
 * line per event instead of a JSON object; production keeps JSON for log collectors.
 */
export function loggerOptions(
  level: string,
  readable?: { write(line: string): unknown },
): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers: {
      req(request: { method: string; url: string; id: string }) {
        return { method: request.method, url: request.url.split('?')[0] ?? '', id: request.id };
      },
    },
    ...(readable ? { stream: { write: (line: string) => writeReadable(readable, line) } } : {}),
  };
}

function writeReadable(out: { write(line: string): unknown }, line: string) {
  const formatted = formatLogLine(line);
  if (formatted !== null) out.write(`${formatted}\n`);
}

const levelNames: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/**
 * One pino JSON line as a person reads it: `12:03:04 GET /api/me 200 3 ms`, or the time, the level
 * and the message. The "incoming request" half of each request is left out (null).
 */
export function formatLogLine(line: string): string | null {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.trimEnd();
  }
  if (entry.msg === 'incoming request') return null;
  const time = new Date(typeof entry.time === 'number' ? entry.time : Date.now()).toTimeString().slice(0, 8);
  const req = entry.req as { method?: string; url?: string } | undefined;
  const res = entry.res as { statusCode?: number } | undefined;
  if (entry.msg === 'request completed' && req && res) {
    const ms = typeof entry.responseTime === 'number' ? ` ${Math.round(entry.responseTime)} ms` : '';
    return `${time} ${req.method ?? ''} ${req.url ?? ''} ${res.statusCode ?? ''}${ms}`;
  }
  const level = levelNames[Number(entry.level)] ?? String(entry.level ?? '');
  const err = entry.err as { message?: string } | undefined;
  return `${time} ${level} ${String(entry.msg ?? '')}${err?.message ? `: ${err.message}` : ''}`;
}
