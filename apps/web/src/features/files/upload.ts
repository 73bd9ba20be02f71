import { generateContentKey, getEncryptedContentSize, toBase64Url } from '@zegel/protocol/crypto';
import { cleanFileName } from '@zegel/protocol/file-names';
import { MessageLimits } from '@zegel/protocol/limits';
import type { DetailedError, Upload } from 'tus-js-client';
import { EncryptedSource } from './encrypted-source.ts';
import {
  forgetPendingUpload,
  markPendingUploadComplete,
  type PendingUpload,
  savePendingUpload,
} from './pending-uploads.ts';
import { SpeedMeter } from './speed-meter.ts';
import type { FileManifestEntry, Transfer, UploadStatus, UploadView } from './transfer.ts';

/** Bytes per PATCH: each request is one segment on the server; the page holds about one of these. */
export const UPLOAD_CHUNK_BYTES = 16 * 1024 * 1024;
/** A dropped connection or a restarting server is retried after these delays (ms). */
const RETRY_DELAYS = [0, 1000, 3000, 5000, 10_000, 15_000, 20_000, 30_000, 30_000];

/** tus-js-client is fetched when the first large file starts, not with every page that shows files. */
const loadTus = () => import('tus-js-client');

/** A fresh content key and the manifest entry of a file not uploaded before. */
function newEntry(file: File): FileManifestEntry {
  const rawKey = generateContentKey();
  const key = toBase64Url(rawKey);
  rawKey.fill(0);
  return {
    id: crypto.randomUUID(),
    key,
    name: cleanFileName(file.name).name.slice(0, MessageLimits.maxFileNameLength),
    type: file.type.slice(0, 255),
    size: file.size,
  };
}

/** Whether tus-js-client should try a failed request again: network, server trouble, a locked upload. */
function isRetryable(error: DetailedError): boolean {
  const status = error.originalResponse?.getStatus() ?? 0;
  return status === 0 || status >= 500 || status === 409 || status === 423;
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
  readonly #file: File;
  readonly #messageId: string;
  readonly #userId: string | undefined;
  readonly #resume: PendingUpload | undefined;
  readonly #total: number;
  readonly #meter = new SpeedMeter();
  /** Created when the upload first starts (tus-js-client loads then). */
  #upload: Upload | undefined;
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
    this.#file = file;
    this.#messageId = messageId;
    this.#userId = options.userId;
    this.#resume = options.resume;
    this.#isPersisted = options.resume !== undefined;
    this.entry = options.resume?.entry ?? newEntry(file);
    this.#total = getEncryptedContentSize(file.size);
    this.#onChange = onChange;
  }

  /** Starts a queued upload (the composer runs a few at a time). */
  begin(): void {
    if (this.#status !== 'queued') return;
    this.#status = 'uploading';
    this.#emit();
    void this.#start();
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
    void this.#upload?.abort();
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
    void this.#start();
  }

  /** Stop and ask the server to drop what it has (frees the quota). */
  remove(): void {
    this.#removed = true;
    this.#epoch++;
    this.#status = 'failed';
    const upload = this.#upload;
    void upload?.abort(upload.url !== null).catch(() => undefined);
    this.#source?.close();
    this.#persisted = this.#persisted.then(() => forgetPendingUpload(this.entry.id)).catch(() => undefined);
  }

  /** Starts tus, unless a pause or removal came while tus-js-client was loading. */
  async #start(): Promise<void> {
    const epoch = this.#epoch;
    const upload = this.#upload ?? (await this.#createUpload());
    if (epoch !== this.#epoch || this.#status !== 'uploading') return;
    upload.start();
  }

  async #createUpload(): Promise<Upload> {
    const { Upload } = await loadTus();
    this.#upload ??= new Upload(this.#file, {
      endpoint: '/api/files/uploads',
      ...(this.#resume ? { uploadUrl: this.#resume.uploadUrl } : {}),
      uploadSize: this.#total,
      metadata: { id: this.entry.id, messageId: this.#messageId },
      headers: { 'x-zegel-csrf': '1' },
      chunkSize: UPLOAD_CHUNK_BYTES,
      retryDelays: RETRY_DELAYS,
      storeFingerprintForResuming: false,
      removeFingerprintOnSuccess: true,
      fileReader: { openFile: async () => this.#openSource() },
      onProgress: (sent) => this.#onProgress(sent),
      onShouldRetry: (error: DetailedError) => this.#onShouldRetry(error),
      onChunkComplete: () => this.#persist(),
      onSuccess: () => this.#onSuccess(),
      onError: (error) => {
        this.#status = 'failed';
        this.#errorCode = errorCodeOf(error);
        this.#emit();
      },
    });
    return this.#upload;
  }

  /** The worker (and the file reading) starts with the upload, not when the file is queued. */
  #openSource(): EncryptedSource {
    this.#source ??= new EncryptedSource(
      this.#file,
      this.entry.key,
      this.entry.id,
      this.#total,
      () => this.#status === 'paused' || this.#removed,
      () => this.#epoch,
      this.#resume?.header,
    );
    return this.#source;
  }

  #onProgress(sent: number): void {
    this.#sent = sent;
    this.#meter.add(sent);
    if (this.#status === 'retrying') this.#status = 'uploading';
    this.#emit();
  }

  #onShouldRetry(error: DetailedError): boolean {
    const retry = isRetryable(error);
    if (retry) {
      this.#status = 'retrying';
      this.#meter.reset();
      this.#emit();
    }
    return retry;
  }

  #onSuccess(): void {
    this.#persist();
    if (this.#isPersisted)
      this.#persisted = this.#persisted
        .then(() => markPendingUploadComplete(this.entry.id))
        .catch(() => undefined);
    this.#status = 'done';
    this.#sent = this.#total;
    this.#emit();
  }

  /** Once the server knows the upload and the header exists: remembered for a reload. */
  #persist(): void {
    const header = this.#source?.header;
    const uploadUrl = this.#upload?.url;
    if (this.#isPersisted || !this.#userId || !header || !uploadUrl) return;
    this.#isPersisted = true;
    const record: PendingUpload = {
      userId: this.#userId,
      entry: this.entry,
      uploadUrl,
      header,
      lastModified: this.#file.lastModified,
      complete: false,
    };
    this.#persisted = this.#persisted.then(() => savePendingUpload(record)).catch(() => undefined);
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
