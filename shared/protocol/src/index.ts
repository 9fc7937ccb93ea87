/** @baton/protocol: the wire contract. Every message is a strict zod schema with a `v` field; subjects come from typed builders. */
export {
  ID_PATTERN,
  Id,
  RunId,
  SubtaskId,
  WorkerId,
  ActorId,
  actorIdOf,
  CommitId,
  Timestamp,
  SCHEMA_VERSION,
  V,
} from './ids.js';
export { ErrorData, toErrorData } from './error-data.js';
export {
  Verdict,
  VerdictSchema,
  PermissionMode,
  PermissionModeSchema,
  PermissionRule,
  PolicyConfig,
} from './policy.js';
export { RecipeKind, RepoGlob, RenameRecipe, CodemodRecipe, CommandRecipe, Recipe, RESERVED_WORDS } from './recipe.js';
export { Usage, emptyUsage, addUsage } from './usage.js';
export { MemoryFile, MEMORY_FILES } from './memory-file.js';
export { AgentKind, AgentKindSchema, SubtaskBudget, ScopePath, Scope, EditProgram, Subtask, Plan } from './plan.js';
export { RunLimits, RepoRef, RunSpec, type RunSpecInput } from './run-spec.js';
export { EnvironmentConfig, ENVIRONMENT_SETUP_FAILED } from './environment.js';
export { WireErrorName } from './wire-error-name.js';
export {
  RunStatus,
  RunStatusSchema,
  isFinalStatus,
  StopReason,
  SubtaskStatusSchema,
  type SubtaskStatus,
  SubtaskState,
  Run,
  PlanRef,
  RunRecord,
  SubmitReply,
  CancelRequest,
  WorkCancel,
  RunQuery,
  RunList,
  RunSummary,
  summarizeRun,
  RUN_LIST_DEFAULT_LIMIT,
} from './run.js';
export { RepoSource, WorkItem, CommandOutput, Failure, TestReport, AgentStop, Result } from './work.js';
export {
  PermissionTool,
  PermissionRequest,
  DecidedBy,
  PermissionDecision,
  PendingPermission,
  HumanDecision,
} from './permission.js';
export { InspectionKind, Json, AgentEvent } from './agent-event.js';
export { WorkerHeartbeat } from './worker-info.js';
export { DeadLetterReason, DeadLetter } from './dead-letter.js';
export { PlanRequest, PlanReply } from './plan-request.js';
export { replyEnvelope, type ReplyEnvelope } from './reply.js';
export { type Subject, type Subjects, InvalidSubjectTokenError, subjectsFor, resourceNamesFor } from './subjects.js';
export { type QueueDefinition, type QueueTuning, QueueTuningSchema, queuesFor } from './queues.js';
export { messages, type MessageName, jsonSchemaOf } from './messages.js';
