import { resolve } from 'node:path';
import { RecipeKind, RunSpec, type RunSpecInput } from '@baton/protocol';
import { UsageError } from './errors.js';
import type { RunFlags } from './run-flags.js';

function need(value: string | undefined, flag: string, recipe: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`--recipe ${recipe} needs ${flag}`);
  return value;
}

/** Turns command-line flags into a validated RunSpec, naming the flag at fault. */
export function runSpecFromFlags(task: string | undefined, flags: RunFlags): RunSpec {
  let recipe: RunSpecInput['recipe'];
  switch (flags.recipe) {
    case RecipeKind.rename:
      recipe = {
        kind: 'rename',
        from: need(flags.from, '--from <identifier>', 'rename'),
        to: need(flags.to, '--to <identifier>', 'rename'),
        ...(flags.glob ? { glob: flags.glob } : {}),
        ...(flags.declaredIn ? { declaredIn: flags.declaredIn } : {}),
      };
      break;
    case RecipeKind.codemod:
      if ((flags.module === undefined) === (flags.command === undefined))
        throw new UsageError('--recipe codemod needs exactly one of --module <path> or --command <command>');
      recipe = {
        kind: 'codemod',
        ...(flags.glob ? { glob: flags.glob } : {}),
        ...(flags.module ? { module: resolve(flags.module) } : { command: flags.command! }),
      };
      break;
    case RecipeKind.command:
      recipe = {
        kind: 'command',
        command: need(flags.command, '--command <command>', 'command'),
        ...(flags.packages ? { packages: flags.packages } : {}),
      };
      break;
    case undefined:
      if (!task?.trim())
        throw new UsageError(
          `say what to change ("baton run \\"rename X to Y\\"") or pick a --recipe (${Object.values(RecipeKind).join(', ')})`,
        );
      break;
  }
  const parsed = RunSpec.safeParse({
    v: 1,
    repo: { path: resolve(flags.repo ?? '.') },
    baseRef: flags.base ?? 'HEAD',
    task: task ?? '',
    ...(recipe ? { recipe } : {}),
    ...(flags.test && flags.test.length > 0 ? { testCommands: flags.test } : {}),
    allowDirty: flags.allowDirty === true,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`invalid ${issue.path.join('.') || 'run'}: ${issue.message}`);
  }
  return parsed.data;
}
