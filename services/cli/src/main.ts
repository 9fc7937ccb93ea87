import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CliError, UsageError } from './errors.js';
import type { RunOptions } from './commands/run.js';
import type { DemoOptions } from './commands/demo.js';
import type { RemoteOptions } from './commands/remote.js';
import type { ServeOptions } from './commands/serve.js';
import type { RunFlags } from './run-spec-from-options.js';
import { VERSION } from './version.js';

/** Parses a positive integer flag, naming the flag in the error. */
export function positiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0)
      throw new InvalidArgumentError(`${flag} must be a positive whole number, got ${JSON.stringify(value)}`);
    return n;
  };
}

const natsOption = () => new Option('--nats <url>', 'NATS server URL of a Baton cluster').env('BATON_NATS_URL');

/** Builds the `baton` command tree. Handlers are loaded lazily so `--help` stays fast. */
export function buildProgram(): Command {
  const program = new Command('baton')
    .description('Baton: a distributed multi-agent orchestrator for large code changes')
    .version(VERSION)
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({ outputError: (str, write) => write(str) });

  program
    .command('run')
    .description(
      'run a change end to end (embedded: coordinator, planner and workers in this process); prints the result branch',
    )
    .argument('[task]', 'what to change, in words (a model plans it); optional with --recipe')
    .requiredOption('--repo <path>', 'the git repository to change', '.')
    .addOption(
      new Option('--recipe <kind>', 'a deterministic recipe planned without a model').choices([
        'rename',
        'codemod',
        'command',
      ]),
    )
    .option('--from <identifier>', 'rename: the identifier to rename')
    .option('--to <identifier>', 'rename: its new name')
    .option('--glob <glob>', 'rename/codemod: files to touch (default: TypeScript files)')
    .option('--declared-in <path>', 'rename: the file declaring the target symbol')
    .option('--module <path>', 'codemod: a transform module (default export (source, path) => string)')
    .option(
      '--command <command>',
      'codemod: a command run per shard ({files} expands); command: a command run per package',
    )
    .option('--packages <glob>', 'command: which packages', '**')
    .option('--test <command...>', 'test/typecheck commands the testers run (default: detected)')
    .option('--base <ref>', 'the ref to start from', 'HEAD')
    .option('--workers <n>', 'worker slots in this process', positiveInt('--workers'), 4)
    .option('--allow-dirty', 'work from HEAD even if the working tree has uncommitted changes')
    .option('--json', 'print the final Run record as JSON')
    .addOption(natsOption())
    .action(async (task: string | undefined, opts: RunOptions) =>
      (await import('./commands/run.js')).runCommand(task, opts),
    );

  program
    .command('demo')
    .description('create a sample repository (a few hundred files with tests) and run a recipe refactor on it')
    .option('--files <n>', 'files in the sample repository', positiveInt('--files'), 300)
    .option('--workers <n>', 'worker slots', positiveInt('--workers'), 4)
    .option('--dir <path>', 'where to create it (default: a new temp folder)')
    .action(async (opts: DemoOptions) => (await import('./commands/demo.js')).demoCommand(opts));

  program
    .command('submit')
    .description('submit a run to a Baton cluster and print its id')
    .argument('[task]', 'what to change')
    .requiredOption('--repo <path>', 'the git repository to change (a path the cluster can read)', '.')
    .addOption(new Option('--recipe <kind>').choices(['rename', 'codemod', 'command']))
    .option('--from <identifier>')
    .option('--to <identifier>')
    .option('--glob <glob>')
    .option('--command <command>')
    .option('--base <ref>', 'the ref to start from', 'HEAD')
    .addOption(natsOption().makeOptionMandatory())
    .action(async (task: string | undefined, opts: RunFlags & RemoteOptions) =>
      (await import('./commands/remote.js')).submitCommand(task, opts),
    );

  for (const [name, description] of [
    ['status', 'show a run (or every run without an id)'],
    ['watch', 'follow a run until it ends'],
    ['cancel', 'cancel a run: no new work, work in hand stopped, the branch kept'],
    ['logs', 'print the agent events of a run'],
  ] as const) {
    const command = program
      .command(name)
      .description(description)
      .argument(name === 'status' ? '[runId]' : '<runId>')
      .option('--json', 'machine-readable output');
    if (name === 'status')
      command.option(
        '--limit <n>',
        'without a run id: list the newest n runs (default 100, at most 1000)',
        positiveInt('--limit'),
      );
    command
      .addOption(natsOption().makeOptionMandatory())
      .action(async (runId: string | undefined, opts: RemoteOptions) =>
        (await import('./commands/remote.js')).remoteCommand(name, runId, opts),
      );
  }
  for (const [name, description] of [
    ['approve', 'allow a parked permission request'],
    ['deny', 'deny a parked permission request (the reason goes back to the agent)'],
  ] as const) {
    program
      .command(name)
      .description(description)
      .argument('<requestId>')
      .requiredOption('--run <runId>', 'the run the request belongs to')
      .option('--reason <text>', 'why')
      .addOption(natsOption().makeOptionMandatory())
      .action(async (requestId: string, opts: RemoteOptions & { run: string; reason?: string }) =>
        (await import('./commands/remote.js')).decideCommand(name, requestId, opts),
      );
  }

  program
    .command('worker')
    .description('start a worker process: pulls editor/tester/shell work from a Baton cluster')
    .addOption(natsOption().makeOptionMandatory())
    .option('--kinds <kinds>', 'comma-separated agent kinds', 'editor,tester,shell')
    .option('--slots <n>', 'concurrent subtasks', positiveInt('--slots'), 2)
    .action(async (opts: ServeOptions) => (await import('./commands/serve.js')).serveCommand('worker', opts));
  for (const [name, description] of [
    ['coordinator', 'start the coordinator (runs, permissions, merging) against a Baton cluster'],
    ['planner', 'start a planner against a Baton cluster'],
  ] as const) {
    program
      .command(name)
      .description(description)
      .addOption(natsOption().makeOptionMandatory())
      .action(async (opts: ServeOptions) => (await import('./commands/serve.js')).serveCommand(name, opts));
  }
  return program;
}

/** Runs the CLI on `argv` and returns the process exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof UsageError) {
      console.error(`baton: ${err.message}`);
      return 2;
    }
    if (err instanceof CliError) {
      console.error(`baton: ${err.message}`);
      return err.exitCode;
    }
    throw err;
  }
}
