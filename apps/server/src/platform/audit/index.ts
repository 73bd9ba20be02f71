/** The NEN 7513 audit trail: what every feature records, and the admin's view of it. */
export { AuditAnchorError, type AuditCheckpoint, listCheckpointKeys, parseCheckpoint } from './checkpoint.ts';
export { registerAuditRoutes } from './routes.ts';
export {
  AuditAction,
  type AuditActor,
  type AuditEventInput,
  type AuditTrail,
  auditActor,
  createAuditTrail,
} from './service.ts';
export type { CheckpointRef, VerifyResult } from './verify.ts';
