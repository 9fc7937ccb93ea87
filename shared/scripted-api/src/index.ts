/** @baton/scripted-api: Scripted Messages API server: real HTTP/SSE on loopback, answers from a script, records requests. */
export { startScriptedApi, type ScriptedApi, type ScriptedApiOptions } from './scripted-api.js';
export {
  type Script,
  type ScriptFunction,
  type ScriptTurn,
  type ScriptedResponse,
  type ScriptedError,
  type ScriptedContentBlock,
  type ScriptedUsage,
  ScriptedStopReason,
  ScriptedErrorType,
  type ScriptedRequest,
  type RecordedMessagesBody,
  type RecordedMessage,
  type RecordedContentBlock,
  isScriptedError,
} from './script.js';
export { ScriptedApiClosedError } from './errors.js';
