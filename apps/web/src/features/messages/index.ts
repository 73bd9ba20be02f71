/** Secure mail for staff: the mailboxes, the composer, a conversation and its proof of delivery. */
export { ComposePage } from './compose-page.tsx';
export { ConversationPage } from './conversation-page.tsx';
export { MailboxPage } from './mailbox-page.tsx';
export { ReportPage } from './report-page.tsx';
