import { Option, type Command } from 'commander';
import { UsageError } from './errors.js';

/** The variable a cluster's NATS URL is read from when `--nats` is not given. */
const NATS_URL_VARIABLE = 'BATON_NATS_URL';

/** `--nats <url>`, read from BATON_NATS_URL when not given. */
export function natsOption(description = 'NATS server URL of a Baton cluster'): Option {
  return new Option('--nats <url>', description).env(NATS_URL_VARIABLE);
}

/**
 * Adds `--nats <url>` to a command that talks to a cluster; before its action runs, a command given neither the flag
 * nor BATON_NATS_URL fails with a UsageError (exit 2) saying what to set.
 */
export function addClusterOption(command: Command): Command {
  return command.addOption(natsOption()).hook('preAction', (_program, action) => {
    if (action.opts<{ nats?: string }>().nats?.trim()) return;
    throw new UsageError(
      `${action.name()} needs a Baton cluster: pass --nats <url> or set ${NATS_URL_VARIABLE} (for example nats://127.0.0.1:4222)`,
    );
  });
}
