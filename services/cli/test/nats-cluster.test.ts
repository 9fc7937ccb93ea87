import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsServer, type NatsServer } from '@baton/nats-launcher';
import { Run } from '@baton/protocol';
import { generateSampleRepo, type SampleRepo } from '@baton/sample-repo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeResult, runBaton, startBaton, type BatonProcess } from './baton-process.js';
import { git } from './git.js';

describe('baton on a NATS cluster: coordinator, planner and worker processes', () => {
  let tmp: string;
  let nats: NatsServer;
  let repo: SampleRepo;
  const services: Record<'coordinator' | 'planner' | 'worker', BatonProcess | undefined> = {
    coordinator: undefined,
    planner: undefined,
    worker: undefined,
  };

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'baton-cli-nats-'));
    nats = await startNatsServer();
    repo = await generateSampleRepo(join(tmp, 'repo'), { files: 60, packages: 3 });
  });
  afterAll(async () => {
    for (const s of Object.values(services))
      if (s && s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await nats?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  it('runs a rename through the cluster, shows it in status, and the services stop cleanly on SIGTERM', async () => {
    services.coordinator = startBaton(['coordinator', '--nats', nats.url]);
    services.planner = startBaton(['planner', '--nats', nats.url]);
    services.worker = startBaton(['worker', '--nats', nats.url, '--slots', '2']);
    await Promise.all(
      Object.entries(services).map(([name, s]) => s!.stderrContains(`"msg":"${name} running"`, 60_000)),
    );

    const args = [
      'run',
      '--nats',
      nats.url,
      '--repo',
      repo.dir,
      '--recipe',
      'rename',
      '--from',
      'purry',
      '--to',
      'curryDataFirst',
      '--glob',
      'packages/**/*.ts',
    ];
    const r = await runBaton([...args, '--test', repo.commands.typecheck, '--test', repo.commands.test], {
      timeoutMs: 200_000,
    });
    expect(r.code, describeResult(r)).toBe(0);
    const runId = /^run (\S+): succeeded/m.exec(r.stdout)?.[1];
    expect(runId, r.stdout).toBeDefined();
    expect(await git(repo.dir, ['show', `baton/${runId}:packages/pkg-00/src/internal/purry.ts`])).toMatch(
      /\bcurryDataFirst\b/,
    );

    const list = await runBaton(['status', '--nats', nats.url]);
    expect(list.code, describeResult(list)).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^${runId}\\tsucceeded\\t(\\d+)/\\1 subtasks\\tbaton/${runId}\\t`, 'm'));

    const one = await runBaton(['status', runId!, '--json', '--nats', nats.url]);
    expect(one.code, describeResult(one)).toBe(0);
    const run = Run.parse(JSON.parse(one.stdout));
    expect(run).toMatchObject({ id: runId, status: 'succeeded', branch: `baton/${runId}` });

    for (const s of Object.values(services)) s!.child.kill('SIGTERM');
    for (const [name, s] of Object.entries(services)) {
      const exit = await s!.exited;
      expect({ name, code: exit.code, signal: exit.signal }, exit.stderr).toEqual({ name, code: 0, signal: null });
    }
  }, 290_000);
});
