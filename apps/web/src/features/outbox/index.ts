/** The embedded mode's outbox: mail and SMS the server would have sent. */
export { OutboxPage } from './outbox-page.tsx';
