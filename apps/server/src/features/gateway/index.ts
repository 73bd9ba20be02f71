/**
 * The SMTP gateway: staff submit mail from their own mail client or an application with an app
 * password; the gateway classifies it (subject tag, `Sensitivity`, leak prevention, "always
 * secure") and either relays it as ordinary mail or encrypts it at once and sends it as a secure
 * message per recipient (docs/gateway.md).
 */
export { createAppPassword, listAppPasswords, revokeAppPassword } from './app-passwords.ts';
export { defineGatewayJobs } from './jobs.ts';
export {
  GATEWAY_MAX_RECIPIENTS,
  type GatewayListener,
  type GatewayListenerOptions,
  startGatewayListener,
} from './listener.ts';
export { registerGatewayRoutes } from './routes.ts';
