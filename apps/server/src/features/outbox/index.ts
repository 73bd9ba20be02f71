/** Embedded mode's outbox of mail and text messages, shown at /outbox. */
export { registerOutboxRoutes } from './routes.ts';
