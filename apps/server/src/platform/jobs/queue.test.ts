import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/database.ts';
import { createManualClock } from '../../adapters/clock.ts';
import { createJobQueue, PermanentJobError, RETRY_BASE_MS } from './service.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

describe('the job queue', () => {
  it('runs each job once even when two workers poll the same table at the same time', async () => {
    const clock = createManualClock();
    const runs = new Map<number, number>();
    const workers = [createJobQueue(database.db, clock), createJobQueue(database.db, clock)];
    for (const worker of workers)
      worker.define('count', {
        handler: async (payload) => {
          const n = Number(payload.n);
          runs.set(n, (runs.get(n) ?? 0) + 1);
          await new Promise((resolve) => setTimeout(resolve, 1));
        },
      });
    for (let n = 0; n < 60; n++) await workers[0]?.enqueue('count', { n });
    const done = await Promise.all(workers.map((w) => w.runDueJobs()));
    expect(done.reduce((a, b) => a + b, 0)).toBe(60);
    expect([...runs.values()].every((count) => count === 1)).toBe(true);
    expect(runs.size).toBe(60);
  });

  it('retries with exponential backoff, gives up after the last attempt, and erases the payload', async () => {
    const clock = createManualClock();
    const queue = createJobQueue(database.db, clock);
    let attempts = 0;
    let failedWith: unknown;
    queue.define('flaky', {
      handler: async () => {
        attempts++;
        throw new Error('temporary');
      },
      onFailure: async (_payload, error) => {
        failedWith = error;
      },
    });
    const id = await queue.enqueue('flaky', { secret: 'sealed-value' }, { maxAttempts: 3 });
    await queue.runDueJobs();
    expect(attempts).toBe(1);
    clock.advance(RETRY_BASE_MS - 1);
    await queue.runDueJobs();
    expect(attempts).toBe(1);
    clock.advance(1);
    await queue.runDueJobs();
    expect(attempts).toBe(2);
    clock.advance(2 * RETRY_BASE_MS);
    await queue.runDueJobs();
    expect(attempts).toBe(3);
    expect(failedWith).toBeInstanceOf(Error);
    const row = await database.db
      .selectFrom('jobs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.failed_at).not.toBeNull();
    expect(row.payload).toEqual({});
    expect(row.last_error).toBe('Error');
  });

  it('gives up at once on a permanent error', async () => {
    const clock = createManualClock();
    const queue = createJobQueue(database.db, clock);
    let attempts = 0;
    queue.define('doomed', {
      handler: async () => {
        attempts++;
        throw new PermanentJobError('gone');
      },
    });
    await queue.enqueue('doomed', {});
    await queue.runDueJobs();
    clock.advance(3600_000);
    await queue.runDueJobs();
    expect(attempts).toBe(1);
  });

  it('polls until stopped', async () => {
    const queue = createJobQueue(database.db, createManualClock(new Date(Date.now() + 86_400_000)));
    let ran = 0;
    queue.define('tick', {
      handler: async () => {
        ran++;
      },
    });
    await queue.enqueue('tick', {});
    queue.start(10);
    for (let i = 0; i < 100 && ran === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    await queue.stop();
    expect(ran).toBe(1);
  });
});
