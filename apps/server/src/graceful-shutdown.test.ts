import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { encryptContent, generateContentKey } from '@zegel/protocol/crypto';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createOrganisationWithAdmin } from '../test/factories.ts';
import { Browser, createTestApp, type TestApp } from '../test/harness.ts';
import { remoteApp } from '../test/http-injector.ts';
import { enrolKeys, type StaffWithKeys, sendSecureMessage } from '../test/messages.ts';
import { cookieOf, tusClient } from '../test/tus-client.ts';
import { freePort, startZegelProcess, type ZegelProcess } from '../test/zegel-process.ts';

const MiB = 1024 * 1024;
const GRACE_SECONDS = 4;
/** Each mail takes this long at the relay, so a delivery job is surely running at SIGTERM. */
const SMTP_DELAY_MS = 1500;

/** A relay that takes its time; records each guest address it accepted a mail for. */
async function startSlowRelay() {
  const delivered: string[] = [];
  let sessions = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onConnect(_session, callback) {
      sessions++;
      callback();
    },
    onData(stream, session, callback) {
      stream.resume();
      stream.on('end', () => {
        setTimeout(() => {
          for (const rcpt of session.envelope.rcptTo) delivered.push(rcpt.address.toLowerCase());
          callback();
        }, SMTP_DELAY_MS);
      });
    },
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    delivered,
    sessions: () => sessions,
    close: () => server.close(),
  };
}

/** `length` bytes that arrive slowly: the PATCH is still streaming when SIGTERM comes. */
function trickle(bytes: Uint8Array, perTick: number, tickMs: number): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= bytes.length) return void this.push(null);
      setTimeout(() => {
        this.push(bytes.subarray(offset, offset + perTick));
        offset += perTick;
      }, tickMs);
    },
  });
}

async function waitUntil(what: string, ok: () => boolean | Promise<boolean>, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function remoteBrowser(url: string, from: Browser): Browser {
  const browser = new Browser(remoteApp(url), from.userAgent);
  for (const [k, v] of from.cookies) browser.cookies.set(k, v);
  return browser;
}

describe.runIf(inject('postgres'))('SIGTERM during an upload, a send and a job (PostgreSQL)', () => {
  let t: TestApp;
  let relay: Awaited<ReturnType<typeof startSlowRelay>>;
  let sender: StaffWithKeys;
  const processes: ZegelProcess[] = [];
  const start = async () => {
    const port = await freePort();
    const started = await startZegelProcess(
      t.database.url!,
      {
        SMTP_URL: relay.url,
        ZEGEL_SHUTDOWN_SECONDS: String(GRACE_SECONDS),
        ZEGEL_PUBLIC_URL: 'http://zegel.test',
      },
      port,
    );
    processes.push(started);
    return started;
  };

  beforeAll(async () => {
    relay = await startSlowRelay();
    t = await createTestApp();
    const { admin } = await createOrganisationWithAdmin(t);
    sender = await enrolKeys(admin);
  });
  afterAll(async () => {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await relay?.close();
    await t?.close();
  });

  it('finishes or hands back everything: nothing lost, nothing sent twice', async () => {
    const a = await start();
    const onA = { ...sender, browser: remoteBrowser(a.url, sender.browser) };
    const guest = (i: number) => `gast-${i}-${crypto.randomUUID().slice(0, 8)}@example.nl`;
    const send = (who: StaffWithKeys, address: string, conversationId?: string) =>
      sendSecureMessage(t, who, {
        subject: 'Afspraak',
        bodyHtml: '<p>Tot dan</p>',
        guests: [{ address, method: 'email_only' }],
        ...(conversationId ? { conversationId } : {}),
      });

    // An upload: 1 MiB committed, the rest trickling in when SIGTERM comes.
    const fileId = crypto.randomUUID();
    const cipher = await encryptContent(generateContentKey(), new Uint8Array(4 * MiB).fill(7), {
      associatedData: fileId,
    });
    const tusA = tusClient(a.url, cookieOf(sender.browser.cookies));
    expect((await tusA.create(fileId, cipher.length)).status).toBe(201);
    expect((await tusA.patch(fileId, 0, cipher.subarray(0, MiB))).status).toBe(204);
    const rest = cipher.subarray(MiB);
    const slowPatch = tusA.patch(fileId, MiB, trickle(rest, 64 * 1024, 250), rest.length).then(
      (r) => r.status,
      (error: Error) => error.message,
    );

    // Sends whose notification jobs are queued: the relay is busy with the first at SIGTERM.
    const queued = [guest(1), guest(2), guest(3), guest(4)];
    for (const address of queued) expect((await send(onA, address)).response.statusCode).toBe(201);
    await waitUntil('a delivery job to start', () => relay.sessions() > 0, 10_000);

    // A send in flight at SIGTERM, then SIGTERM.
    const inFlightAddress = guest(5);
    const inFlightConversation = crypto.randomUUID();
    const inFlight = send(onA, inFlightAddress, inFlightConversation).then(
      (r) => r.response.statusCode,
      (error: Error) => error.message,
    );
    await sleep(20);
    const stopped = await a.stop();
    expect(a.output()).not.toContain('driver has already been destroyed');
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan((GRACE_SECONDS + 3) * 1000);
    // Only what was running when A stopped was delivered by A: the rest of its batch went back.
    const deliveredByA = relay.delivered.length;
    expect(deliveredByA).toBeGreaterThanOrEqual(1);
    expect(deliveredByA).toBeLessThan(queued.length);

    // The in-flight send was finished (201), or refused before it began; then the client sends again.
    const b = await start();
    const onB = { ...sender, browser: remoteBrowser(b.url, sender.browser) };
    const inFlightOutcome = await inFlight;
    if (inFlightOutcome !== 201)
      expect((await send(onB, inFlightAddress, inFlightConversation)).response.statusCode).toBe(201);

    // The handed-back jobs run on B at once, not after their 30-second lease.
    const everyone = [...queued, inFlightAddress];
    await waitUntil(
      'every guest to be notified',
      () => everyone.every((g) => relay.delivered.includes(g)),
      15_000,
    );
    await sleep(1000);
    for (const address of everyone) expect(relay.delivered.filter((d) => d === address)).toHaveLength(1);
    const jobs = await t.deps.db
      .selectFrom('jobs')
      .select(['attempts', 'finished_at', 'failed_at'])
      .where('kind', '=', 'message.notify')
      .execute();
    expect(jobs.length).toBeGreaterThanOrEqual(everyone.length);
    for (const job of jobs) expect([job.attempts, job.failed_at]).toEqual([1, null]);

    // The upload: the cut PATCH stored nothing; the client resumes on B and the file is whole.
    const patchOutcome = await slowPatch;
    expect(patchOutcome).not.toBe(204);
    const tusB = tusClient(b.url, cookieOf(sender.browser.cookies));
    const head = await tusB.head(fileId);
    expect(head.headers['upload-offset']).toBe(String(MiB));
    expect((await tusB.patch(fileId, MiB, rest)).status).toBe(204);
    const download = await tusB.download(fileId);
    expect(Buffer.from(download.body).equals(Buffer.from(cipher))).toBe(true);
    await b.stop();
  }, 90_000);
});
