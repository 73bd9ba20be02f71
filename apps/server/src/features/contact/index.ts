/**
 * Public contact pages and team mailboxes: a person without an account proves their address and
 * starts a conversation (kind `contact`, owned by the team) through the conversation core; team
 * members handle it as a shared mailbox.
 */
export { defineContactJobs } from './jobs.ts';
export { registerContactRoutes } from './routes.ts';
export { teamNotifyAddress } from './settings.ts';
