/**
 * Files: small encrypted attachments and large encrypted files (a tus 1.0 server with segments
 * in the blob store, limits, quota, streamed downloads). Who may read a file of a conversation
 * item is the conversation core's rule; this feature keeps and streams the bytes.
 */

export { registerAttachmentRoutes, withOctetStreamBodies } from './attachment-routes.ts';
export {
  attachUploadsToItem,
  findAttachmentItem,
  listAttachmentsOfItems,
  readAttachment,
  requireOwnAttachments,
  storeAttachment,
  type Uploader,
} from './attachments.ts';
export { listFileBlobKeys } from './blob-keys.ts';
export { type FileContent, isNewDownload } from './download.ts';
export {
  deleteFilesOfItems,
  type FileOwner,
  findItemOfFile,
  linkFilesToItem,
  listFilesOfItems,
  openItemFile,
  requireLinkableFiles,
} from './item-files.ts';
export { defineFileJobs, scheduleFileMaintenance } from './jobs.ts';
export { registerFileRoutes } from './routes.ts';
