import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { AgentKind } from '@baton/protocol';
import { CliError, UsageError } from './errors.js';
import type { RunOptions } from './commands/run.js';
import type { DemoOptions } from './commands/demo.js';
import type { RemoteOptions } from './commands/remote.js';
import type { ServeOptions } from './commands/serve.js';
import { addClusterOption, natsOption } from './cluster-option.js';
import { addRunFlags, type RunFlags } from './run-flags.js';
import { VERSION } from './version.js';

/** Parses a positive integer flag, naming the flag in the error. */
function positiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0)
      throw new InvalidArgumentError(`${flag} must be a positive whole number, got ${JSON.stringify(value)}`);
    return n;
  };
}

/** Parses `--kinds`: a comma-separated list of agent kinds, naming an unknown one. */
function agentKinds(value: string): AgentKind[] {
  const known: readonly string[] = Object.values(AgentKind);
  return value.split(',').map((k) => {
    const kind = k.trim();
    if (!known.includes(kind))
      throw new InvalidArgumentError(`unknown agent kind ${JSON.stringify(kind)} (${known.join(', ')})`);
    return kind as AgentKind;
  });
}

/** Builds the `baton` command tree. Handlers are loaded lazily so `--help` stays fast. */
export function buildProgram(): Command {
  const program = new Command('baton')
    .description('Baton: a distributed multi-agent orchestrator for large code changes')
    .version(VERSION)
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({ outputError: (str, write) => write(str) });

  addRunFlags(
    program
      .command('run')
      .description(
        'run a change end to end (embedded: coordinator, planner and workers in this process); prints the result branch',
      ),
  )
    .option('--workers <n>', 'worker slots in this process (embedded)', positiveInt('--workers'), 4)
    .option('--json', 'print the final Run record as JSON')
    .addOption(natsOption('run on this Baton cluster (NATS server URL) instead of in this process'))
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

  addClusterOption(
    addRunFlags(program.command('submit').description('submit a run to a Baton cluster and print its id')).option(
      '--json',
      'print the reply (run id and branch) as JSON',
    ),
  ).action(async (task: string | undefined, opts: RunFlags & RemoteOptions) =>
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
    addClusterOption(command).action(async (runId: string | undefined, opts: RemoteOptions) =>
      (await import('./commands/remote.js')).remoteCommand(name, runId, opts),
    );
  }
  for (const [name, description] of [
    ['approve', 'allow a parked permission request'],
    ['deny', 'deny a parked permission request (the reason goes back to the agent)'],
  ] as const) {
    addClusterOption(
      program
        .command(name)
        .description(description)
        .argument('<requestId>')
        .requiredOption('--run <runId>', 'the run the request belongs to')
        .option('--reason <text>', 'why'),
    ).action(async (requestId: string, opts: RemoteOptions & { run: string; reason?: string }) =>
      (await import('./commands/remote.js')).decideCommand(name, requestId, opts),
    );
  }

  addClusterOption(
    program
      .command('worker')
      .description('start a worker process: pulls editor/tester/shell work from a Baton cluster')
      .option('--kinds <kinds>', 'comma-separated agent kinds (default: every kind)', agentKinds)
      .option('--slots <n>', 'concurrent subtasks', positiveInt('--slots'), 2),
  ).action(async (opts: ServeOptions) => (await import('./commands/serve.js')).serveCommand('worker', opts));
  for (const [name, description] of [
    ['coordinator', 'start the coordinator (runs, permissions, merging) against a Baton cluster'],
    ['planner', 'start a planner against a Baton cluster'],
  ] as const) {
    addClusterOption(program.command(name).description(description)).action(async (opts: ServeOptions) =>
      (await import('./commands/serve.js')).serveCommand(name, opts),
    );
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
