import {
  CONTENT_HEADER_SIZE,
  generateContentKey,
  getEncryptedContentSize,
  toBase64Url,
} from '@zegel/protocol/crypto';
import { cleanFileName } from '@zegel/protocol/file-names';
import { MessageLimits } from '@zegel/protocol/limits';
import { type DetailedError, Upload } from 'tus-js-client';
import type { EncryptRequest, EncryptResponse } from './encrypt-worker.ts';
import {
  forgetPendingUpload,
  markPendingUploadComplete,
  type PendingUpload,
  savePendingUpload,
} from './pending-uploads.ts';

/** What goes into the encrypted message content for a large file (never to the server in clear). */
export interface FileManifestEntry {
  id: string;
  /** The file's content key, base64url. */
  key: string;
  name: string;
  type: string;
  /** Plaintext size in bytes. */
  size: number;
}

export type UploadStatus = 'queued' | 'uploading' | 'paused' | 'retrying' | 'done' | 'failed';

/** A snapshot of one upload for the screen. */
export interface UploadView {
  localId: string;
  entry: FileManifestEntry;
  status: UploadStatus;
  /** Ciphertext bytes the server has confirmed or is receiving, and the total. */
  sent: number;
  total: number;
  /** Bytes per second over the last few seconds, or null before there is a measurement. */
  speed: number | null;
  errorCode: string | null;
}

/** Bytes per PATCH: each request is one segment on the server; the page holds about one of these. */
export const UPLOAD_CHUNK_BYTES = 16 * 1024 * 1024;
/** A dropped connection or a restarting server is retried after these delays (ms). */
const RETRY_DELAYS = [0, 1000, 3000, 5000, 10_000, 15_000, 20_000, 30_000, 30_000];

/**
 * The ciphertext of one file as tus-js-client's upload source. A Web Worker encrypts the file as
 * it is read; the source keeps only the last slice it handed out, which is all tus-js-client can
 * ask for again: after a failed or aborted PATCH the server's offset is the start of that slice
 * (a PATCH is kept whole or not at all) or its end.
 */
class EncryptedSource {
  readonly size: number;
  readonly #worker: Worker;
  #opened: Promise<void>;
  #waiting: { resolve: (bytes: ArrayBuffer) => void; reject: (error: Error) => void } | null = null;
  #start = 0;
  #bytes: Uint8Array<ArrayBuffer> = new Uint8Array(0);

  /**
   * True while paused or removed, and a counter of pauses: a slice that finishes while paused, or
   * that was asked for before a pause, is not handed to tus-js-client.
   */
  readonly #isStopped: () => boolean;
  readonly #epoch: () => number;
  #chain: Promise<unknown> = Promise.resolve();

  /** The ciphertext's header (base64url) once it has been produced, to resume after a reload. */
  header: string | undefined;

  constructor(
    file: File,
    key: string,
    fileId: string,
    size: number,
    isStopped: () => boolean,
    epoch: () => number,
    header: string | undefined,
  ) {
    this.size = size;
    this.#isStopped = isStopped;
    this.#epoch = epoch;
    this.header = header;
    this.#worker = new Worker(new URL('./encrypt-worker.ts', import.meta.url), { type: 'module' });
    this.#opened = new Promise((resolve, reject) => {
      this.#waiting = { resolve: () => resolve(), reject };
    });
    this.#worker.addEventListener('message', (event: MessageEvent<EncryptResponse>) => {
      const waiting = this.#waiting;
      this.#waiting = null;
      if (event.data.type === 'error') waiting?.reject(new Error(event.data.message));
      else if (event.data.type === 'bytes') waiting?.resolve(event.data.bytes);
      else waiting?.resolve(new ArrayBuffer(0));
    });
    this.#worker.addEventListener('error', (event) => {
      this.#waiting?.reject(new Error(event.message || 'encryption worker failed'));
      this.#waiting = null;
    });
    this.#post({ type: 'open', file, key, fileId, ...(header ? { header } : {}) });
  }

  #post(request: EncryptRequest) {
    this.#worker.postMessage(request);
  }

  async #read(size: number, type: 'read' | 'skip' = 'read'): Promise<Uint8Array<ArrayBuffer>> {
    await this.#opened;
    const bytes = new Promise<ArrayBuffer>((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
    this.#post({ type, size });
    return new Uint8Array(await bytes);
  }

  /**
   * One slice at a time: after a quick pause and resume, tus-js-client may ask again while the
   * worker is still busy with the slice it asked for before the pause.
   */
  slice(start: number, end: number): Promise<{ value: Blob; done: boolean }> {
    const epoch = this.#epoch();
    const run = this.#chain.then(() => this.#slice(start, end, epoch));
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #slice(start: number, end: number, epoch: number): Promise<{ value: Blob; done: boolean }> {
    let held = this.#start + this.#bytes.length;
    if (start < this.#start)
      throw new Error(`cannot go back to byte ${start} (holding ${this.#start}–${held})`);
    if (start > held) {
      // A resumed upload: encrypt again up to the server's offset and drop those bytes.
      await this.#read(start - held, 'skip');
      this.#start = start;
      this.#bytes = new Uint8Array(0);
      held = start;
    }
    let bytes: Uint8Array<ArrayBuffer>;
    if (end <= held) bytes = this.#bytes.subarray(start - this.#start, end - this.#start);
    else {
      const head = this.#bytes.subarray(start - this.#start);
      const tail = await this.#read(end - held);
      bytes = new Uint8Array(head.length + tail.length);
      bytes.set(head);
      bytes.set(tail, head.length);
      this.#start = start;
      this.#bytes = bytes;
      if (start === 0 && !this.header && bytes.length >= CONTENT_HEADER_SIZE)
        this.header = toBase64Url(bytes.slice(0, CONTENT_HEADER_SIZE));
    }
    // tus-js-client's abort() cannot stop a request whose body is still being read: it would be
    // sent after the pause. Refusing the slice makes that PATCH fail quietly (it was aborted).
    if (this.#isStopped() || this.#epoch() !== epoch) throw new Error('upload paused');
    return { value: new Blob([bytes]), done: false };
  }

  close(): void {
    this.#worker.terminate();
  }
}

/** The speed over the last few seconds of progress. */
class SpeedMeter {
  #samples: { at: number; bytes: number }[] = [];
  add(bytes: number): void {
    const at = performance.now();
    this.#samples.push({ at, bytes });
    while (this.#samples.length > 2 && at - this.#samples[0]!.at > 5000) this.#samples.shift();
  }
  reset(): void {
    this.#samples = [];
  }
  get speed(): number | null {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (!first || !last || last.at - first.at < 500) return null;
    return ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
  }
}

/**
 * One large file on its way: encrypted in a worker, uploaded with tus (pause, resume, automatic
 * retries). `onChange` gets a fresh snapshot whenever something visible changes.
 */
export class FileUpload implements Transfer {
  readonly localId = crypto.randomUUID();
  readonly entry: FileManifestEntry;
  #status: UploadStatus = 'queued';
  #sent = 0;
  #errorCode: string | null = null;
  #removed = false;
  #epoch = 0;
  readonly #total: number;
  readonly #meter = new SpeedMeter();
  readonly #upload: Upload;
  #source: EncryptedSource | undefined;
  readonly #onChange: (view: UploadView) => void;

  /** Kept in IndexedDB for resuming after a reload (when a user id is given). */
  #persisted: Promise<unknown> = Promise.resolve();
  #isPersisted = false;

  /**
   * `userId` keeps the upload resumable after a page reload (IndexedDB, see pending-uploads.ts);
   * `resume` continues such an upload with the same file chosen again.
   */
  constructor(
    file: File,
    messageId: string,
    onChange: (view: UploadView) => void,
    options: { userId?: string; resume?: PendingUpload } = {},
  ) {
    const { resume, userId } = options;
    let key: string;
    if (resume) {
      this.entry = resume.entry;
      key = resume.entry.key;
      this.#isPersisted = true;
    } else {
      const rawKey = generateContentKey();
      key = toBase64Url(rawKey);
      rawKey.fill(0);
      this.entry = {
        id: crypto.randomUUID(),
        key,
        name: cleanFileName(file.name).name.slice(0, MessageLimits.maxFileNameLength),
        type: file.type.slice(0, 255),
        size: file.size,
      };
    }
    const fileId = this.entry.id;
    const persist = () => {
      const header = this.#source?.header;
      const uploadUrl = this.#upload.url;
      if (this.#isPersisted || !userId || !header || !uploadUrl) return;
      this.#isPersisted = true;
      const record: PendingUpload = {
        userId,
        entry: this.entry,
        uploadUrl,
        header,
        lastModified: file.lastModified,
        complete: false,
      };
      this.#persisted = this.#persisted.then(() => savePendingUpload(record)).catch(() => undefined);
    };
    this.#total = getEncryptedContentSize(file.size);
    this.#onChange = onChange;
    // The worker (and the file reading) starts with the upload, not when the file is queued.
    const openSource = async () => {
      this.#source ??= new EncryptedSource(
        file,
        key,
        fileId,
        this.#total,
        () => this.#status === 'paused' || this.#removed,
        () => this.#epoch,
        resume?.header,
      );
      return this.#source;
    };
    this.#upload = new Upload(file, {
      endpoint: '/api/files/uploads',
      ...(resume ? { uploadUrl: resume.uploadUrl } : {}),
      uploadSize: this.#total,
      metadata: { id: fileId, messageId },
      headers: { 'x-zegel-csrf': '1' },
      chunkSize: UPLOAD_CHUNK_BYTES,
      retryDelays: RETRY_DELAYS,
      storeFingerprintForResuming: false,
      removeFingerprintOnSuccess: true,
      fileReader: { openFile: openSource },
      onProgress: (sent) => {
        this.#sent = sent;
        this.#meter.add(sent);
        if (this.#status === 'retrying') this.#status = 'uploading';
        this.#emit();
      },
      onShouldRetry: (error: DetailedError) => {
        const status = error.originalResponse?.getStatus() ?? 0;
        const retry = status === 0 || status >= 500 || status === 409 || status === 423;
        if (retry) {
          this.#status = 'retrying';
          this.#meter.reset();
          this.#emit();
        }
        return retry;
      },
      onChunkComplete: persist,
      onSuccess: () => {
        persist();
        if (this.#isPersisted)
          this.#persisted = this.#persisted
            .then(() => markPendingUploadComplete(fileId))
            .catch(() => undefined);
        this.#status = 'done';
        this.#sent = this.#total;
        this.#emit();
      },
      onError: (error) => {
        this.#status = 'failed';
        this.#errorCode = errorCodeOf(error);
        this.#emit();
      },
    });
  }

  /** Starts a queued upload (the composer runs a few at a time). */
  begin(): void {
    if (this.#status !== 'queued') return;
    this.#status = 'uploading';
    this.#emit();
    this.#upload.start();
  }

  get view(): UploadView {
    return {
      localId: this.localId,
      entry: this.entry,
      status: this.#status,
      sent: this.#sent,
      total: this.#total,
      speed: this.#status === 'uploading' ? this.#meter.speed : null,
      errorCode: this.#errorCode,
    };
  }

  pause(): void {
    if (this.#status === 'done' || this.#status === 'queued') return;
    void this.#upload.abort();
    this.#epoch++;
    this.#status = 'paused';
    this.#meter.reset();
    this.#emit();
  }

  /** Resume after a pause, or try again after the retries ran out. */
  resume(): void {
    if (this.#status !== 'paused' && this.#status !== 'failed') return;
    this.#status = 'uploading';
    this.#errorCode = null;
    this.#emit();
    this.#upload.start();
  }

  /** Stop and ask the server to drop what it has (frees the quota). */
  remove(): void {
    this.#removed = true;
    this.#epoch++;
    this.#status = 'failed';
    void this.#upload.abort(this.#upload.url !== null).catch(() => undefined);
    this.#source?.close();
    this.#persisted = this.#persisted.then(() => forgetPendingUpload(this.entry.id)).catch(() => undefined);
  }

  #emit(): void {
    this.#onChange(this.view);
  }
}

function errorCodeOf(error: Error): string {
  const response = (error as DetailedError).originalResponse;
  if (!response) return 'network';
  try {
    const body = JSON.parse(response.getBody()) as { error?: { code?: string } };
    return body.error?.code ?? `http_${response.getStatus()}`;
  } catch {
    return `http_${response.getStatus()}`;
  }
}

/** What the composer's list holds: an upload running here, or a complete one restored after a reload. */
export interface Transfer {
  readonly localId: string;
  readonly entry: FileManifestEntry;
  readonly view: UploadView;
  begin(): void;
  pause(): void;
  resume(): void;
  remove(): void;
}

/** A complete upload from before a page reload, not sent yet: nothing to do but send or remove it. */
export class RestoredUpload implements Transfer {
  readonly localId = crypto.randomUUID();
  readonly entry: FileManifestEntry;
  readonly #pending: PendingUpload;

  constructor(pending: PendingUpload) {
    this.entry = pending.entry;
    this.#pending = pending;
  }

  get view(): UploadView {
    const total = getEncryptedContentSize(this.entry.size);
    return {
      localId: this.localId,
      entry: this.entry,
      status: 'done',
      sent: total,
      total,
      speed: null,
      errorCode: null,
    };
  }

  begin(): void {}
  pause(): void {}
  resume(): void {}

  remove(): void {
    void discardPendingUpload(this.#pending);
  }
}

/** Drops an upload from before a reload: on the server (if it still takes it) and here. */
export async function discardPendingUpload(pending: PendingUpload): Promise<void> {
  await fetch(pending.uploadUrl, {
    method: 'DELETE',
    credentials: 'same-origin',
    headers: { 'tus-resumable': '1.0.0', 'x-zegel-csrf': '1' },
  }).catch(() => undefined);
  await forgetPendingUpload(pending.entry.id).catch(() => undefined);
}

/** Whether `file` is the file of an interrupted upload (same name, size and modification time). */
export function isSameFile(file: File, pending: PendingUpload): boolean {
  return (
    file.size === pending.entry.size &&
    file.lastModified === pending.lastModified &&
    cleanFileName(file.name).name.slice(0, MessageLimits.maxFileNameLength) === pending.entry.name
  );
}
