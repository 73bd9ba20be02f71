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
