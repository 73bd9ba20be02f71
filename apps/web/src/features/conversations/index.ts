/**
 * What every conversation screen shares, whoever reads it (staff or guest) and whatever kind it
 * is (secure mail, contact form): item content, the item view, receipts, the reply form and the
 * rich-text editor.
 */
export { type ContentWithFiles, encodeContent, type OpenedItem, openItem, type Progress } from './content.ts';
export { ItemView } from './item-view.tsx';
export { ReplyForm } from './lazy-reply-form.tsx';
export { ProgressStatus } from './progress-status.tsx';
export { ReceiptsTable, summarizeParticipants } from './receipts.tsx';
export { RichTextEditor } from './rich-text-editor.tsx';
