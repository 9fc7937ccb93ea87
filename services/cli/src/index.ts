/** @baton/cli: the `baton` command. */
export { buildProgram, runCli } from './main.js';
export { CliError, UsageError } from './errors.js';
export { stopOnSignal, type StopOnSignalOptions } from './stop-on-signal.js';
