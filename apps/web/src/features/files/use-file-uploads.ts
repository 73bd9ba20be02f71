import { useCallback, useEffect, useRef, useState } from 'react';
import { forgetPendingUpload, listPendingUploads, type PendingUpload } from './pending-uploads.ts';
import { discardPendingUpload, isSameFile, RestoredUpload } from './restored-upload.ts';
import type { Transfer, UploadView } from './transfer.ts';
import { FileUpload } from './upload.ts';
import { useWarnBeforeLeaving } from './warn-before-leaving.ts';

/**
 * Uploads running at once; the rest wait their turn. Each running upload holds a worker and one
 * PATCH of ciphertext (16 MiB) in the page, so 50 files at once would hold 800 MiB.
 */
const PARALLEL_UPLOADS = 3;

/**
 * The composer's large files: each starts uploading as soon as it is added (encrypted in a
 * worker, tus), tied to the conversation id the message will get. Progress reaches the screen at
 * most a few times a second. With `userId`, uploads survive a page reload: complete ones come
 * back as they were, unfinished ones are listed in `interrupted` until the same file is chosen
 * again (`resumeWith`) or dropped (`discard`).
 */
export function useFileUploads(messageId: string, userId?: string) {
  const uploads = useRef(new Map<string, Transfer>());
  const [views, setViews] = useState<UploadView[]>([]);
  const [interrupted, setInterrupted] = useState<PendingUpload[]>([]);
  const dirty = useRef(false);

  const refresh = useCallback(() => {
    dirty.current = false;
    const all = [...uploads.current.values()];
    let running = all.filter((upload) => ['uploading', 'retrying'].includes(upload.view.status)).length;
    for (const upload of all) {
      if (running >= PARALLEL_UPLOADS) break;
      if (upload.view.status === 'queued') {
        upload.begin();
        running++;
      }
    }
    setViews(all.map((upload) => upload.view));
  }, []);

  useEffect(() => {
    const timer = setInterval(() => {
      if (dirty.current) refresh();
    }, 250);
    const current = uploads.current;
    return () => {
      clearInterval(timer);
      // Leaving the composer abandons unfinished uploads (the server sweeps them too).
      for (const upload of current.values()) if (upload.view.status !== 'done') upload.remove();
    };
  }, [refresh]);

  useEffect(() => {
    if (!userId) return;
    let isLive = true;
    void listPendingUploads(userId).then((pending) => {
      if (!isLive) return;
      const known = new Set([...uploads.current.values()].map((upload) => upload.entry.id));
      for (const item of pending)
        if (item.complete && !known.has(item.entry.id)) {
          const restored = new RestoredUpload(item);
          uploads.current.set(restored.localId, restored);
        }
      setInterrupted(pending.filter((item) => !item.complete && !known.has(item.entry.id)));
      refresh();
    });
    return () => {
      isLive = false;
    };
  }, [userId, refresh]);

  const track = useCallback(
    (create: (onChange: (view: UploadView) => void) => FileUpload) => {
      let upload: FileUpload | undefined;
      upload = create((view) => {
        // Status changes show at once; byte counts at the next tick.
        const shown = upload ? uploads.current.get(upload.localId) : undefined;
        if (shown && view.status !== 'uploading') refresh();
        else dirty.current = true;
      });
      uploads.current.set(upload.localId, upload);
    },
    [refresh],
  );

  const add = useCallback(
    (files: readonly File[]) => {
      for (const file of files)
        track((onChange) => new FileUpload(file, messageId, onChange, userId ? { userId } : {}));
      refresh();
    },
    [messageId, userId, refresh, track],
  );

  /** Continues an interrupted upload with its file chosen again; false if it is not the same file. */
  const resumeWith = useCallback(
    (pending: PendingUpload, file: File): boolean => {
      if (!isSameFile(file, pending)) return false;
      track(
        (onChange) =>
          new FileUpload(file, messageId, onChange, { ...(userId ? { userId } : {}), resume: pending }),
      );
      setInterrupted((current) => current.filter((item) => item.entry.id !== pending.entry.id));
      refresh();
      return true;
    },
    [messageId, userId, refresh, track],
  );

  const discard = useCallback((pending: PendingUpload) => {
    void discardPendingUpload(pending);
    setInterrupted((current) => current.filter((item) => item.entry.id !== pending.entry.id));
  }, []);

  const remove = useCallback(
    (localId: string) => {
      uploads.current.get(localId)?.remove();
      uploads.current.delete(localId);
      refresh();
    },
    [refresh],
  );
  /**
   * After the message was sent: forgets the (complete) uploads here and in IndexedDB. They are
   * not terminated on the server: they belong to the item now.
   */
  const clear = useCallback(async () => {
    for (const [localId, upload] of uploads.current)
      if (upload.view.status === 'done') {
        uploads.current.delete(localId);
        await forgetPendingUpload(upload.entry.id).catch(() => undefined);
      }
    refresh();
  }, [refresh]);
  const pause = useCallback((localId: string) => uploads.current.get(localId)?.pause(), []);
  const resume = useCallback((localId: string) => uploads.current.get(localId)?.resume(), []);

  const pending = views.filter((view) => view.status !== 'done').length;
  // Leaving or reloading the page interrupts unfinished uploads.
  useWarnBeforeLeaving(pending > 0);

  const failed = views.filter((view) => view.status === 'failed').length;
  return { views, interrupted, add, resumeWith, discard, remove, clear, pause, resume, pending, failed };
}
