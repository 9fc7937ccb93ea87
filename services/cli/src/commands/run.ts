import { CliError } from '../errors.js';

/** `baton run`: the main job (wired to the embedded coordinator, planner and workers by issue #4). */
export function runCommand(_task: string | undefined, _opts: Record<string, unknown>): Promise<void> {
  return Promise.reject(new CliError('baton run is not available yet: it arrives with the planner/coordinator capability (issue #4)'));
}
