import { execFile } from 'node:child_process';

/** A finished program: its exit code (undefined when killed) and output. */
export interface ProgramRun {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
}

/**
 * Runs a program (cp, find, unshare; never git, which goes through @baton/git) without a shell and returns its exit code
 * and output; `check` makes a non-zero exit throw with its stderr.
 */
export function runProgram(
  file: string,
  args: readonly string[],
  options: { cwd?: string; check?: boolean } = {},
): Promise<ProgramRun> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd: options.cwd, maxBuffer: 1024 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : undefined;
      if (err !== null && (options.check ?? true))
        return reject(
          new Error(`${file} ${args.join(' ')} failed: ${String(stderr).trim().slice(0, 2000)}`, { cause: err }),
        );
      resolve({ exitCode: code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}
