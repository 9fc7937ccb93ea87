import { CliError } from '../errors.js';

/** `baton worker|coordinator|planner|dashboard`: long-running processes. */
export function serveCommand(name: string, _opts: Record<string, unknown>): Promise<void> {
  return Promise.reject(new CliError(`baton ${name} is not available yet`));
}
