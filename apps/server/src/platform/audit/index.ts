/** The NEN 7513 audit trail: what every feature records, and the admin's view of it. */
export { registerAuditRoutes } from './routes.ts';
export {
  AuditAction,
  type AuditActor,
  type AuditEventInput,
  type AuditTrail,
  auditActor,
  createAuditTrail,
  type VerifyResult,
  verifyAuditChain,
} from './service.ts';
