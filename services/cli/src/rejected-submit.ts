import { RemoteError } from '@baton/bus';
import {
  DirtyWorkingTreeError,
  NotARepositoryError,
  RepositoryNotFoundError,
  UnknownRefError,
} from '@baton/coordinator';
import { SettingsError } from '@baton/policy';
import { toErrorData, WireErrorName, type RunSpec } from '@baton/protocol';
import { CliError } from './errors.js';

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * The CliError (exit 2, naming the flag at fault) for a submit the coordinator refused because of the repository, its
 * base ref, a dirty tree, its settings or the recipe's own check (RecipeRefusedError); undefined for any other failure. The coordinator is the one place a submit
 * is checked: embedded its own error arrives here, from a cluster the same error as data in a RemoteError.
 */
export function rejectedSubmit(err: unknown, spec: RunSpec): CliError | undefined {
  const { name, data = {} } = err instanceof RemoteError ? { name: err.remoteName, data: err.data } : toErrorData(err);
  const path = spec.repo.path;
  let message: string;
  switch (name) {
    case RepositoryNotFoundError.name:
      message = `--repo ${path}: no such directory`;
      break;
    case NotARepositoryError.name:
      message = `--repo ${path} is not a git repository (run git init, or point --repo at one)`;
      break;
    case UnknownRefError.name:
      message = `--base ${spec.baseRef} does not name a commit in ${path}`;
      break;
    case DirtyWorkingTreeError.name:
      message = new DirtyWorkingTreeError(text(data.path), Array.isArray(data.files) ? data.files.map(text) : [])
        .message;
      break;
    case WireErrorName.recipeRefused:
      // The planner's recipe check, passed to the coordinator as its spec check (the cli does not load the planner here).
      message = err instanceof RemoteError ? err.message.slice(err.message.indexOf(': ') + 2) : (err as Error).message;
      break;
    case SettingsError.name:
      message = new SettingsError(text(data.file), text(data.keyPath), text(data.problem)).message;
      break;
    default:
      return undefined;
  }
  return new CliError(message, 2, { cause: err });
}
