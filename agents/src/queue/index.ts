/** `@bizosaas/agents/queue`: runs agents on pg-boss (one queue per agent). See ./README.md. */
export {
  type AgentQueue,
  createAgentQueue,
  type EnqueueManyResult,
  type EnqueueResult,
  type QueueHealth,
  type ScheduleRef,
} from './agent-queue.ts'
export {
  DEAD_LETTER_SUFFIX,
  deadLetterName,
  JOB_DISPOSITION,
  JOB_STATE,
  type JobDisposition,
  type JobState,
  QUEUE_PREFIX,
  queueName,
  RETRYABLE_ERROR_CODES,
} from './constants.ts'
export { DEFAULT_CRASH_RECOVERY } from './defaults.ts'
export type {
  AgentJob,
  AgentJobData,
  AgentQueueOptions,
  CrashRecoveryOptions,
  DeadLetter,
  EnqueueItem,
  EnqueueManyOptions,
  EnqueueOptions,
  ExecuteRun,
  QueuePolicy,
  RunOptionsInput,
  ScheduleOptions,
  StopOptions,
  WorkerOptions,
} from './options.ts'
export { countLiveJobs } from './sql.ts'
export { type AgentWorkers, deadLetterReason, dispositionOf, QueueShutdownError, type RunSummary } from './workers.ts'
