import { describe, expect, it } from 'vitest';
import { formatLogLine } from './logging.ts';

/** Embedded mode prints readable lines instead of a JSON object per request (issue 12, item 10). */
describe('readable log lines', () => {
  const time = new Date(2026, 11, 3, 12, 3, 4).getTime();
  it('prints a request as method, path, status and time taken, and drops the incoming half', () => {
    const completed = JSON.stringify({
      level: 30,
      time,
      msg: 'request completed',
      req: { method: 'GET', url: '/api/me', id: 'x' },
      res: { statusCode: 200 },
      responseTime: 3.4,
    });
    expect(formatLogLine(completed)).toBe('12:03:04 GET /api/me 200 3 ms');
    expect(formatLogLine(JSON.stringify({ level: 30, time, msg: 'incoming request' }))).toBeNull();
  });
  it('prints other events with their level and the error message, and passes non-JSON through', () => {
    expect(
      formatLogLine(JSON.stringify({ level: 50, time, msg: 'job failed', err: { message: 'boom' } })),
    ).toBe('12:03:04 error job failed: boom');
    expect(formatLogLine('plain text\n')).toBe('plain text');
  });
});
