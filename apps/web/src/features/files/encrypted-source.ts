import { CONTENT_HEADER_SIZE, toBase64Url } from '@zegel/protocol/crypto';
import type { EncryptRequest, EncryptResponse } from './encrypt-worker.ts';

/**
 * The ciphertext of one file as tus-js-client's upload source. A Web Worker encrypts the file as
 * it is read; the source keeps only the last slice it handed out, which is all tus-js-client can
 * ask for again: after a failed or aborted PATCH the server's offset is the start of that slice
 * (a PATCH is kept whole or not at all) or its end.
 */
export class EncryptedSource {
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
