/** Attachments (small, uploaded whole) and large files (tus, resumable) of conversation items. */

export {
  type AttachmentEntry,
  checkAttachments,
  downloadAttachment,
  encryptAndUploadAttachments,
  type UploadProgress,
} from './attachments.ts';
export { AttachmentsField } from './attachments-field.tsx';
export { FileDownloads } from './file-downloads.tsx';
export { FileTransfersField, UploadsWaiting } from './file-transfers-field.tsx';
export { forgetAllPendingUploads } from './pending-uploads.ts';
export type { FileManifestEntry } from './transfer.ts';
export { useFileUploads } from './use-file-uploads.ts';
