import type { Result } from '@baton/protocol';

/** The command a shell or tester stopped at, with its stderr's end (e.g. a permission denial's reason); '' when none failed. */
export function describeFailedCommand(result: Result): string {
  const failed = result.commands.findLast((c) => c.exitCode !== 0);
  if (!failed) return '';
  const how = failed.timedOut
    ? 'timed out'
    : failed.exitCode === null
      ? 'did not run or was killed'
      : `exited ${failed.exitCode}`;
  const stderr = failed.stderr.trim();
  return `: \`${failed.command.slice(0, 500)}\` ${how}${stderr ? `: ${stderr.slice(-2_000)}` : ''}`;
}

/** A Result's failures, one `file:line: message` line each (at most 50), or its error when it names none. */
export function formatFailures(result: Result): string {
  const failures = result.testReport?.failures ?? [];
  if (failures.length === 0) return result.error?.message ?? `stopped: ${result.stop}`;
  return failures
    .slice(0, 50)
    .map((f) => `${f.file ?? '?'}${f.line !== undefined ? `:${f.line}` : ''}: ${f.message}`)
    .join('\n');
}
