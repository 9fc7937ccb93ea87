import { CliError } from '../errors.js';

const notYet = (name: string) => Promise.reject(new CliError(`baton ${name} is not available yet: it arrives with the coordinator (issue #4)`));

/** `baton submit`. */
export function submitCommand(_task: string | undefined, _opts: Record<string, unknown>): Promise<void> {
  return notYet('submit');
}
/** `baton status|watch|cancel|logs`. */
export function remoteCommand(name: string, _runId: string | undefined, _opts: Record<string, unknown>): Promise<void> {
  return notYet(name);
}
/** `baton approve|deny`. */
export function decideCommand(name: string, _requestId: string, _opts: Record<string, unknown>): Promise<void> {
  return notYet(name);
}
