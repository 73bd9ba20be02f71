/**
 * Secure messages composed in the browser: checking a send's recipients and opening the
 * conversation through the conversation core, and the organisation's message defaults.
 */
export { registerMessageRoutes } from './routes.ts';
export { sendMessage } from './send-message.ts';
