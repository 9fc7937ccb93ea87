import { assign, fromPromise, setup } from 'xstate';
import type { AgentStop, CommandOutput, ErrorData, TestReport } from '@baton/protocol';
import type { Authorization, CommandLauncher } from '@baton/tools';
import { recordError, type Failure } from './record-error.js';
import { deniedCommandOutput, runCommandOutput } from './run-command-output.js';
import { parseTestOutput } from './test-report-parsers.js';

/** What a tester needs: the commands, where to run them, and the permission check. */
export interface TesterInput {
  commands: string[];
  cwd: string;
  authorize: (command: string) => Promise<Authorization>;
  timeoutMs: number;
  /** How each command starts (the worktree's environment); default `bash -c`. */
  launch?: CommandLauncher;
  /** Run a failing command once more; a pass on the retry counts its failures as flaky. */
  retryFailed: boolean;
}

/** What a tester found. */
export interface TesterOutput {
  ok: boolean;
  stop: AgentStop;
  report: TestReport;
  commands: CommandOutput[];
  error?: ErrorData;
}

interface TesterContext extends Failure {
  input: TesterInput;
  commands: CommandOutput[];
  reports: TestReport[];
}

interface Ran {
  outputs: CommandOutput[];
  reports: TestReport[];
}

function merge(reports: TestReport[]): TestReport {
  if (reports.length === 0) return { passed: 0, failed: 0, skipped: 0, flaky: 0, failures: [], format: 'exit-code' };
  return {
    passed: reports.reduce((n, r) => n + r.passed, 0),
    failed: reports.reduce((n, r) => n + r.failed, 0),
    skipped: reports.reduce((n, r) => n + r.skipped, 0),
    flaky: reports.reduce((n, r) => n + r.flaky, 0),
    failures: reports.flatMap((r) => r.failures).slice(0, 200),
    format: reports.find((r) => r.failed > 0)?.format ?? reports[0]!.format,
  };
}

/** A final state's output: the merged report and every command run. */
function outcome(context: TesterContext, ok: boolean, stop: AgentStop): TesterOutput {
  return {
    ok,
    stop,
    report: merge(context.reports),
    commands: context.commands,
    ...(context.error ? { error: context.error } : {}),
  };
}

async function runAll(input: TesterInput, signal: AbortSignal): Promise<Ran> {
  const outputs: CommandOutput[] = [];
  const reports: TestReport[] = [];
  for (const command of input.commands) {
    // Cancelled: the current command was killed; the rest must not start.
    if (signal.aborted) break;
    const verdict = await input.authorize(command);
    if (!verdict.allowed) {
      outputs.push(deniedCommandOutput(command, verdict.reason));
      reports.push({
        passed: 0,
        failed: 1,
        skipped: 0,
        flaky: 0,
        failures: [{ message: `${command}: permission denied: ${verdict.reason}` }],
        format: 'exit-code',
      });
      continue;
    }
    // Parsed from the whole output: a capped JSON report would no longer parse.
    const first = await runCommandOutput(command, {
      cwd: input.cwd,
      timeoutMs: input.timeoutMs,
      signal,
      ...(input.launch ? { launch: input.launch } : {}),
    });
    outputs.push(first.output);
    let report = parseTestOutput(first.stdout, first.stderr, first.output.exitCode);
    if (report.failed > 0 && input.retryFailed && !signal.aborted) {
      const again = await runCommandOutput(command, {
        cwd: input.cwd,
        timeoutMs: input.timeoutMs,
        signal,
        ...(input.launch ? { launch: input.launch } : {}),
      });
      outputs.push(again.output);
      const second = parseTestOutput(again.stdout, again.stderr, again.output.exitCode);
      if (second.failed === 0) report = { ...second, flaky: report.failed };
    }
    reports.push(report);
  }
  return { outputs, reports };
}

/**
 * The tester agent: running (every configured test / typecheck / lint command, each checked
 * against the policy) -> passed | failed | cancelled. Reports are parsed into counts and failures.
 */
export const testerMachine = setup({
  types: {
    context: {} as TesterContext,
    events: {} as { type: 'CANCEL' },
    input: {} as TesterInput,
    output: {} as TesterOutput,
  },
  actors: {
    runCommands: fromPromise<Ran, TesterInput>(({ input, signal }) => runAll(input, signal)),
  },
  guards: {
    allPassed: ({ context }) => context.reports.every((r) => r.failed === 0),
  },
  actions: { recordError: assign(recordError) },
}).createMachine({
  id: 'tester',
  context: ({ input }) => ({ input, commands: [], reports: [] }),
  initial: 'running',
  on: { CANCEL: '.cancelled' },
  states: {
    running: {
      invoke: {
        src: 'runCommands',
        input: ({ context }) => context.input,
        onDone: {
          target: 'reporting',
          actions: assign({
            commands: ({ event }) => event.output.outputs,
            reports: ({ event }) => event.output.reports,
          }),
        },
        onError: { target: 'failed', actions: 'recordError' },
      },
    },
    reporting: {
      always: [{ guard: 'allPassed', target: 'passed' }, { target: 'failed' }],
    },
    passed: { type: 'final', output: ({ context }) => outcome(context, true, 'completed') },
    failed: { type: 'final', output: ({ context }) => outcome(context, false, context.failedWith ?? 'tests_failed') },
    cancelled: { type: 'final', output: ({ context }) => outcome(context, false, 'cancelled') },
  },
  // XState types a final state's output as unknown: each one above is built by outcome().
  output: ({ event }) => event.output as TesterOutput,
});
