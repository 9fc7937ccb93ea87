import { CliError } from '../errors.js';

/** `baton demo`: sample repository + recipe run (issue #4). */
export function demoCommand(_opts: Record<string, unknown>): Promise<void> {
  return Promise.reject(new CliError('baton demo is not available yet: it arrives with the planner/coordinator capability (issue #4)'));
}
