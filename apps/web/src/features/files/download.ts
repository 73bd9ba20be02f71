import type { ErrorResponse } from '@zegel/protocol/api';
import { createContentDecryptionStream, fromBase64Url } from '@zegel/protocol/crypto';
import { ApiError, ClientErrorCode } from '../../api/index.ts';
import type { FileManifestEntry } from './transfer.ts';

/** Progress of a download in plaintext bytes; `retrying` while a dropped connection is resumed. */
export interface DownloadProgress {
  received: number;
  total: number;
  retrying: boolean;
}

/** Without a service worker the file is assembled in memory; only up to this size. */
export const BLOB_FALLBACK_MAX_BYTES = 256 * 1024 * 1024;
/** After a dropped connection the rest is asked for again after these pauses (ms), about two minutes in all. */
const RETRY_DELAYS = [500, 1000, 3000, 5000, 10_000, 15_000, 20_000, 30_000, 30_000];
const SW_SCOPE = '/download/';

/** The file could not be saved by this browser (no service worker and too large for memory). */
export class CannotSaveError extends Error {}

let registration: Promise<ServiceWorker | null> | undefined;

/** Registers the download service worker (scope /download/ only) and waits for it to be active. */
export function prepareDownloads(): Promise<ServiceWorker | null> {
  registration ??= (async () => {
    if (!('serviceWorker' in navigator)) return null;
    try {
      const reg = await navigator.serviceWorker.register('/download-sw.js', { scope: SW_SCOPE });
      if (reg.active) return reg.active;
      const worker = reg.installing ?? reg.waiting;
      if (!worker) return null;
      return await new Promise<ServiceWorker | null>((resolve) => {
        const check = () => {
          if (worker.state === 'activated') resolve(reg.active ?? worker);
          else if (worker.state === 'redundant') resolve(null);
        };
        worker.addEventListener('statechange', check);
        check();
      });
    } catch {
      return null;
    }
  })();
  return registration;
}

/**
 * Downloads a large file's ciphertext (resuming with `Range` after a dropped connection),
 * decrypts it as it arrives and saves it: through the download service worker straight to disk,
 * or for small files in a browser without it, as a Blob once it is whole. The first record is
 * checked before the save starts; a `CryptoError` at any later point errors the saved stream, so
 * the browser never completes the file, and is thrown to the caller.
 */
export async function downloadFile(
  url: string,
  entry: FileManifestEntry,
  onProgress: (progress: DownloadProgress) => void,
): Promise<void> {
  const key = fromBase64Url(entry.key);
  let received = 0;
  let retrying = false;
  const report = () => onProgress({ received, total: entry.size, retrying });
  const ciphertext = resumableBody(url, (isRetrying) => {
    retrying = isRetrying;
    report();
  });
  const plaintext = ciphertext.pipeThrough(createContentDecryptionStream(key, { associatedData: entry.id }));
  const reader = plaintext.getReader();
  let lastReport = 0;
  const count = (chunk: Uint8Array) => {
    received += chunk.length;
    const now = performance.now();
    if (now - lastReport > 200 || received === entry.size) {
      lastReport = now;
      report();
    }
  };
  // The header and first record must open before anything is saved.
  const first = await reader.read();
  key.fill(0);
  if (!first.done) count(first.value);

  const worker = await prepareDownloads();
  if (worker && supportsStreamTransfer()) {
    let finished: (error?: unknown) => void = () => undefined;
    const outcome = new Promise<void>((resolve, reject) => {
      finished = (error?: unknown) => (error === undefined ? resolve() : reject(error));
    });
    const stream = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          if (first.done) {
            controller.close();
            finished();
          } else controller.enqueue(first.value);
        },
        async pull(controller) {
          try {
            const next = await reader.read();
            if (next.done) {
              controller.close();
              finished();
            } else {
              count(next.value);
              controller.enqueue(next.value);
            }
          } catch (error) {
            controller.error(error);
            finished(error);
          }
        },
        cancel(reason) {
          void reader.cancel(reason);
          finished(new Error('download cancelled'));
        },
      },
      { highWaterMark: 2 },
    );
    await saveThroughServiceWorker(worker, stream, entry, outcome);
    return;
  }

  if (entry.size > BLOB_FALLBACK_MAX_BYTES) {
    await reader.cancel();
    throw new CannotSaveError('this browser cannot save large files');
  }
  const parts: Uint8Array<ArrayBuffer>[] = first.done ? [] : [first.value as Uint8Array<ArrayBuffer>];
  for (;;) {
    const next = await reader.read();
    if (next.done) break;
    count(next.value);
    parts.push(next.value as Uint8Array<ArrayBuffer>);
  }
  saveBlob(new Blob(parts, { type: 'application/octet-stream' }), entry.name);
}

async function saveThroughServiceWorker(
  worker: ServiceWorker,
  stream: ReadableStream<Uint8Array>,
  entry: FileManifestEntry,
  outcome: Promise<void>,
): Promise<void> {
  const token = crypto.randomUUID();
  const channel = new MessageChannel();
  const ready = new Promise<void>((resolve) => {
    channel.port1.onmessage = () => resolve();
  });
  worker.postMessage({ type: 'download', token, name: entry.name, size: entry.size, stream }, [
    stream as unknown as Transferable,
    channel.port2,
  ]);
  await ready;
  channel.port1.close();
  const frame = document.createElement('iframe');
  frame.hidden = true;
  frame.title = entry.name;
  frame.src = `${SW_SCOPE}${token}`;
  document.body.append(frame);
  // A service worker is stopped when idle; messages keep it alive while the stream runs.
  const keepAlive = setInterval(() => worker.postMessage({ type: 'ping' }), 10_000);
  try {
    await outcome;
  } finally {
    clearInterval(keepAlive);
    setTimeout(() => frame.remove(), 60_000);
  }
}

function supportsStreamTransfer(): boolean {
  try {
    const stream = new ReadableStream();
    const channel = new MessageChannel();
    channel.port1.postMessage(stream, [stream as unknown as Transferable]);
    channel.port1.close();
    return true;
  } catch {
    return false;
  }
}

function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * The ciphertext as a stream that survives dropped connections: after a network error it asks
 * again for `Range: bytes=<received>-` and carries on where it was, a few times with growing pauses.
 */
function resumableBody(url: string, onRetrying: (retrying: boolean) => void): ReadableStream<Uint8Array> {
  let received = 0;
  let attempt = 0;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  const open = async () => {
    const headers: Record<string, string> = { accept: 'application/octet-stream' };
    if (received > 0) headers.range = `bytes=${received}-`;
    const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store', headers });
    if (!response.ok || (received > 0 && response.status !== 206) || !response.body)
      throw await toHttpError(response);
    reader = response.body.getReader();
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          try {
            if (!reader) await open();
            const next = await reader!.read();
            if (attempt > 0) {
              attempt = 0;
              onRetrying(false);
            }
            if (next.done) controller.close();
            else {
              received += next.value.length;
              controller.enqueue(next.value);
            }
            return;
          } catch (error) {
            reader = undefined;
            const retryable = !(error instanceof ApiError) || error.status >= 500 || error.status === 0;
            if (!retryable || attempt >= RETRY_DELAYS.length) throw error;
            onRetrying(true);
            await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS[attempt++]));
          }
        }
      },
      cancel(reason) {
        void reader?.cancel(reason);
      },
    },
    { highWaterMark: 1 },
  );
}

async function toHttpError(response: Response): Promise<ApiError> {
  try {
    const error = ((await response.json()) as Partial<ErrorResponse>).error;
    if (error && typeof error.code === 'string')
      return new ApiError(error.code, error.message ?? '', response.status, error.requestId ?? null);
  } catch {
    // not our JSON error body
  }
  return new ApiError(ClientErrorCode.unexpectedResponse, `HTTP ${response.status}`, response.status, null);
}
