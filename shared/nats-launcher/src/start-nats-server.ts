import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { NatsServerStartError } from './errors.js';
import { findNatsServer } from './find-nats-server.js';

/** Options of startNatsServer. */
export interface NatsServerOptions {
  /** Enable JetStream (`-js`). Default true. */
  jetstream?: boolean;
  /** JetStream store directory; default a fresh temp dir, removed on stop. */
  storeDir?: string;
  /** Client port; default a random free port chosen by the server. */
  port?: number;
  /** How long to wait for "Server is ready". Default 15 s. */
  readyTimeoutMs?: number;
  /** The server's max_payload in bytes (a config file: nats-server has no flag for it). Default the server's, 1 MiB. */
  maxPayload?: number;
}

/**
 * A running nats-server. Lifecycle: `running` -> `stopped` (stop, removes the temp store) or
 * `killed` (kill, store kept) -> `running` again (restart, same port and store).
 */
export interface NatsServer extends AsyncDisposable {
  /** `nats://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  readonly storeDir: string;
  /** Pid of the current server process. */
  readonly pid: number;
  /** Graceful shutdown, then removes the temp store dir (if the launcher made it). */
  stop(): Promise<void>;
  /** Hard kill for fault injection (default SIGKILL); the store is kept for restart. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the server again on the same port with the same store (kills it first if running). */
  restart(): Promise<void>;
}

const READY = 'Server is ready';
const LISTENING = /Listening for client connections on [^\s]*:(\d+)/;
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

// A test runner that exits without stopping its servers must not leave them running.
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

interface Spawned {
  child: ChildProcess;
  port: number;
}

function spawnOnce(binary: string, args: string[], readyTimeoutMs: number): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    live.add(child);
    let output = '';
    let port: number | undefined;
    const fail = (cause?: unknown) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      live.delete(child);
      reject(new NatsServerStartError(binary, args, output, cause === undefined ? undefined : { cause }));
    };
    const timer = setTimeout(() => fail(new Error(`not ready after ${readyTimeoutMs} ms`)), readyTimeoutMs);
    child.once('error', fail);
    child.once('exit', () => {
      live.delete(child);
      if (port === undefined || !output.includes(READY)) fail();
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      // Keep only what readiness and error messages need; a long-lived server logs forever.
      if (output.length < 64_000) output += chunk;
      const m = LISTENING.exec(output);
      if (m?.[1] !== undefined) port = Number(m[1]);
      if (port !== undefined && output.includes(READY)) {
        clearTimeout(timer);
        child.stderr?.removeAllListeners('data');
        child.stderr?.resume();
        resolve({ child, port });
      }
    });
  });
}

/**
 * Starts `nats-server -js` on 127.0.0.1 with a temp store and resolves once it accepts connections.
 * @example await using server = await startNatsServer(); const nc = await connect({ servers: server.url });
 */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  installExitHook();
  const binary = await findNatsServer();
  const ownsStore = options.storeDir === undefined;
  const storeDir = options.storeDir ?? (await mkdtemp(path.join(os.tmpdir(), 'baton-nats-')));
  const jetstream = options.jetstream ?? true;
  const readyTimeoutMs = options.readyTimeoutMs ?? 15_000;
  let config: string[] = [];
  if (options.maxPayload !== undefined) {
    if (!Number.isInteger(options.maxPayload) || options.maxPayload <= 0)
      throw new RangeError(`maxPayload must be a positive integer of bytes, got ${options.maxPayload}`);
    const file = path.join(storeDir, 'baton-nats.conf');
    await writeFile(file, `max_payload: ${options.maxPayload}\n`);
    config = ['-c', file];
  }
  const argsFor = (port: number) => [
    ...config,
    ...(jetstream ? ['-js', '-sd', storeDir] : []),
    '-a',
    '127.0.0.1',
    '-p',
    String(port),
  ];

  let current: Spawned;
  try {
    current = await spawnOnce(binary, argsFor(options.port ?? -1), readyTimeoutMs);
  } catch (err) {
    if (ownsStore) await rm(storeDir, { recursive: true, force: true });
    throw err;
  }
  const port = current.port;
  let stopped = false;

  const terminate = async (signal: NodeJS.Signals) => {
    const { child } = current;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const done = exited(child);
    child.kill(signal);
    const escalate = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await done;
    clearTimeout(escalate);
  };

  const server: NatsServer = {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    get pid() {
      return current.child.pid ?? -1;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await terminate('SIGTERM');
      if (ownsStore) await rm(storeDir, { recursive: true, force: true });
    },
    async kill(signal = 'SIGKILL') {
      await terminate(signal);
    },
    async restart() {
      if (stopped) throw new Error('the nats-server was stopped (its store removed); start a new one');
      await terminate('SIGKILL');
      // The old socket can linger a moment after a hard kill; retry the bind briefly.
      let lastError: unknown;
      for (let attempt = 0; attempt < 20; attempt++) {
        try {
          current = await spawnOnce(binary, argsFor(port), readyTimeoutMs);
          return;
        } catch (err) {
          lastError = err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      throw lastError;
    },
    [Symbol.asyncDispose]() {
      return server.stop();
    },
  };
  return server;
}
