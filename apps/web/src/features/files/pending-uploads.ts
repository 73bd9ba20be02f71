import { fromBase64Url, toBase64Url } from '@zegel/protocol/crypto';
import type { FileManifestEntry } from './transfer.ts';

/**
 * Uploads that have started but whose message has not been sent yet, kept in IndexedDB so that
 * a page reload can resume them (docs/files.md, "Resume after a page reload"). The content key is
 * stored wrapped with a non-extractable AES-GCM key that lives in the same database: it cannot be
 * read out of the browser, only used by this origin's scripts. An entry is deleted when its
 * message is sent or its upload removed, and after 20 hours in any case.
 */
export interface PendingUpload {
  userId: string;
  entry: FileManifestEntry;
  /** The tus upload URL. */
  uploadUrl: string;
  /** The first bytes of the ciphertext (version, salt, key commitment, MAC): not secret. */
  header: string;
  lastModified: number;
  complete: boolean;
}

/**
 * Entries older than this are forgotten: the server sweeps uploads not sent with a message after
 * `ZEGEL_UPLOAD_ABANDON_HOURS` (24 by default), so an older entry would name a file that is gone.
 */
const KEEP_MS = 20 * 3_600_000;

interface StoredUpload extends Omit<PendingUpload, 'entry'> {
  fileId: string;
  entry: Omit<FileManifestEntry, 'key'>;
  wrappedKey: ArrayBuffer;
  iv: Uint8Array<ArrayBuffer>;
  savedAt: number;
}

const DB = 'zegel-uploads';
const UPLOADS = 'uploads';
const KEYS = 'keys';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(UPLOADS, { keyPath: 'fileId' });
      request.result.createObjectStore(KEYS);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function run<T>(
  store: string,
  mode: IDBTransactionMode,
  work: (s: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  return open().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const request = work(db.transaction(store, mode).objectStore(store));
        request.onsuccess = () => {
          resolve(request.result);
          db.close();
        };
        request.onerror = () => {
          reject(request.error);
          db.close();
        };
      }),
  );
}

async function wrappingKey(): Promise<CryptoKey> {
  const existing = await run<CryptoKey | undefined>(KEYS, 'readonly', (s) => s.get('wrap'));
  if (existing) return existing;
  const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
    'encrypt',
    'decrypt',
  ]);
  await run(KEYS, 'readwrite', (s) => s.put(key, 'wrap'));
  return key;
}

export async function savePendingUpload(upload: PendingUpload): Promise<void> {
  const { key, ...entry } = upload.entry;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const wrappedKey = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(entry.id) },
    await wrappingKey(),
    fromBase64Url(key) as Uint8Array<ArrayBuffer>,
  );
  const stored: StoredUpload = { ...upload, fileId: entry.id, entry, wrappedKey, iv, savedAt: Date.now() };
  await run(UPLOADS, 'readwrite', (s) => s.put(stored));
}

export async function markPendingUploadComplete(fileId: string): Promise<void> {
  const stored = await run<StoredUpload | undefined>(UPLOADS, 'readonly', (s) => s.get(fileId));
  if (stored) await run(UPLOADS, 'readwrite', (s) => s.put({ ...stored, complete: true }));
}

export async function forgetPendingUpload(fileId: string): Promise<void> {
  await run(UPLOADS, 'readwrite', (s) => s.delete(fileId));
}

/** This user's pending uploads, keys unwrapped; an entry that cannot be unwrapped is dropped. */
export async function listPendingUploads(userId: string): Promise<PendingUpload[]> {
  let stored: StoredUpload[];
  try {
    stored = await run<StoredUpload[]>(UPLOADS, 'readonly', (s) => s.getAll());
  } catch {
    return [];
  }
  const key = await wrappingKey();
  const found: PendingUpload[] = [];
  for (const item of stored) {
    if (!(item.savedAt > Date.now() - KEEP_MS)) {
      await forgetPendingUpload(item.fileId).catch(() => undefined);
      continue;
    }
    if (item.userId !== userId) continue;
    try {
      const raw = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: item.iv, additionalData: new TextEncoder().encode(item.fileId) },
        key,
        item.wrappedKey,
      );
      found.push({
        userId: item.userId,
        entry: { ...item.entry, key: toBase64Url(new Uint8Array(raw)) },
        uploadUrl: item.uploadUrl,
        header: item.header,
        lastModified: item.lastModified,
        complete: item.complete,
      });
    } catch {
      await forgetPendingUpload(item.fileId);
    }
  }
  return found;
}

/** At sign-out: no wrapped content keys are left behind in this browser (any user's). */
export function forgetAllPendingUploads(): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(DB);
    request.onsuccess = () => resolve();
    request.onerror = () => resolve();
    request.onblocked = () => resolve();
  });
}
