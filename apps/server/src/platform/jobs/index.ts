/** The database job queue every feature hands its background work to. */
export {
  createJobQueue,
  type EnqueueOptions,
  type JobDefinition,
  type JobHandler,
  type JobQueue,
  type JobRun,
  PermanentJobError,
  type QueueKindStats,
  RETRY_BASE_MS,
} from './service.ts';
export { defineJob, enqueueJob, type JobType, jobType, optionalStringField, stringField } from './typed.ts';
