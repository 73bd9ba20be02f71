export { buildAdvice } from './advice.ts';
export { type CheckMailDomainOptions, checkMailDomain, InvalidDomainError } from './check-mail-domain.ts';
export { createMailDomainChecker, type MailDomainChecker } from './checker.ts';
export { createMailCheckContext, type MailCheckContext, type MailCheckContextOptions } from './context.ts';
export { type DirectDeliveryResult, type DirectMessage, deliverDirect } from './deliver-direct.ts';
export { normalizeDomainName } from './domain-name.ts';
export { registerMailSecurityRoutes } from './routes.ts';
export { scoredCheckIds } from './score.ts';
export * from './types.ts';
