import { useCallback, useEffect, useRef, useState } from 'react';
import { FileUpload, type UploadView } from './upload.ts';

/**
 * Uploads running at once; the rest wait their turn. Each running upload holds a worker and one
 * PATCH of ciphertext (16 MiB) in the page, so 50 files at once would hold 800 MiB.
 */
const PARALLEL_UPLOADS = 3;

/**
 * The composer's large files: each starts uploading as soon as it is added (encrypted in a
 * worker, tus), tied to the conversation id the message will get. Progress reaches the screen at
 * most a few times a second.
 */
export function useFileUploads(messageId: string) {
  const uploads = useRef(new Map<string, FileUpload>());
  const [views, setViews] = useState<UploadView[]>([]);
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

  const add = useCallback(
    (files: readonly File[]) => {
      for (const file of files) {
        let upload: FileUpload | undefined;
        upload = new FileUpload(file, messageId, (view) => {
          // Status changes show at once; byte counts at the next tick.
          const shown = upload ? uploads.current.get(upload.localId) : undefined;
          if (shown && view.status !== 'uploading') refresh();
          else dirty.current = true;
        });
        uploads.current.set(upload.localId, upload);
      }
      refresh();
    },
    [messageId, refresh],
  );

  const remove = useCallback(
    (localId: string) => {
      uploads.current.get(localId)?.remove();
      uploads.current.delete(localId);
      refresh();
    },
    [refresh],
  );
  /** Forgets completed uploads after they were sent (they are not terminated: they belong to the item now). */
  const clear = useCallback(() => {
    for (const [localId, upload] of uploads.current)
      if (upload.view.status === 'done') uploads.current.delete(localId);
    refresh();
  }, [refresh]);
  const pause = useCallback((localId: string) => uploads.current.get(localId)?.pause(), []);
  const resume = useCallback((localId: string) => uploads.current.get(localId)?.resume(), []);

  const pending = views.filter((view) => view.status !== 'done').length;
  // Leaving or reloading the page abandons unfinished uploads (no resume after a reload): ask first.
  useEffect(() => {
    if (pending === 0) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [pending]);
  const failed = views.filter((view) => view.status === 'failed').length;
  return { views, add, remove, clear, pause, resume, pending, failed };
}
