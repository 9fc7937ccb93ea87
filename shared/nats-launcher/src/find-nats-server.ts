import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { NatsServerNotFoundError } from './errors.js';

const FALLBACK = '/usr/sbin/nats-server';

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch (_missing) {
    return false;
  }
}

/** Finds the nats-server binary: NATS_SERVER_BIN, else PATH, else /usr/sbin/nats-server; throws NatsServerNotFoundError. */
export async function findNatsServer(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const explicit = env.NATS_SERVER_BIN;
  if (explicit !== undefined && explicit !== '') {
    if (await isExecutable(explicit)) return explicit;
    throw new NatsServerNotFoundError([`NATS_SERVER_BIN=${explicit}`]);
  }
  const candidates = (env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => path.join(dir, 'nats-server'));
  candidates.push(FALLBACK);
  for (const candidate of candidates) {
    if (await isExecutable(candidate)) return candidate;
  }
  throw new NatsServerNotFoundError(['$PATH', FALLBACK]);
}
