import { getEncryptedContentSize } from '@zegel/protocol/crypto';
import { cleanFileName } from '@zegel/protocol/file-names';
import { MessageLimits } from '@zegel/protocol/limits';
import { forgetPendingUpload, type PendingUpload } from './pending-uploads.ts';
import type { FileManifestEntry, Transfer, UploadView } from './transfer.ts';

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
