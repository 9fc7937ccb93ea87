import { Option, type Command } from 'commander';
import { RecipeKind } from '@baton/protocol';

/** The flags `baton run` and `baton submit` share, as commander parses them. */
export interface RunFlags {
  repo?: string;
  recipe?: RecipeKind;
  from?: string;
  to?: string;
  glob?: string;
  declaredIn?: string;
  module?: string;
  command?: string;
  packages?: string;
  test?: string[];
  base?: string;
  allowDirty?: boolean;
}

/** Collects a repeatable option: one value per use (`--test a --test b`), so a value never swallows the task. */
function repeatable(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * Declares the task argument and the run flags on a command: the one place they are declared, so `baton run` and
 * `baton submit` accept the same ones.
 */
export function addRunFlags(command: Command): Command {
  return command
    .argument('[task]', 'what to change, in words (a model plans it); optional with --recipe')
    .option('--repo <path>', 'the git repository to change (on a cluster: a path the coordinator can read)', '.')
    .addOption(
      new Option('--recipe <kind>', 'a deterministic recipe planned without a model').choices(
        Object.values(RecipeKind),
      ),
    )
    .option('--from <identifier>', 'rename: the identifier to rename')
    .option('--to <identifier>', 'rename: its new name')
    .option(
      '--glob <glob>',
      'rename/codemod: narrows the files (default: every tracked TypeScript and JavaScript file outside generated and vendored folders)',
    )
    .option('--declared-in <path>', 'rename: the file declaring the target symbol')
    .option('--module <path>', 'codemod: a transform module (default export (source, path) => string)')
    .option(
      '--command <command>',
      'codemod: a command run per shard ({files} expands); command: a command run per package',
    )
    .option('--packages <glob>', 'command: which packages', '**')
    .option(
      '--test <command>',
      'a test/typecheck command the testers run; repeat for more (default: detected)',
      repeatable,
    )
    .option('--base <ref>', 'the ref to start from', 'HEAD')
    .option(
      '--allow-dirty',
      'start from --base even if the working tree has uncommitted changes (they are not included)',
    );
}
