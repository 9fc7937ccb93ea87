import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createActor, fromPromise, toPromise } from 'xstate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@baton/log';
import type { EditProgram } from '@baton/protocol';
import { applyProgram } from '@baton/recipes';
import { makeTempRepo, type TempRepo } from '../../test/temp-repo.js';
import { Workspaces } from '../workspace/workspaces.js';
import { recipeMachine, type RecipeInput } from './recipe.machine.js';

let repo: TempRepo;
let scratch: string;
let workspaces: Workspaces;
let n = 0;

beforeAll(async () => {
  repo = await makeTempRepo({
    'src/a.ts': 'export function greet(name: string): string {\n  return `hello ${name}`;\n}\n',
    'src/b.ts': "import { greet } from './a.js';\n\nexport const hi = greet('b');\n",
  });
  scratch = await mkdtemp(join(tmpdir(), 'baton-recipe-test-'));
  workspaces = await Workspaces.open({ workerId: 'recipe-test', baseDir: scratch, log: silentLogger() });
});

afterAll(async () => {
  await workspaces.close();
  await rm(scratch, { recursive: true, force: true });
  await repo.remove();
});

const program: EditProgram = {
  recipe: { kind: 'rename', from: 'greet', to: 'salute', glob: 'src/**/*.ts', comments: false },
  files: ['src/a.ts', 'src/b.ts'],
};

/** Applies the program in a fresh worktree of the repository, as a worker does for a codemod command. */
async function inWorktree(): Promise<RecipeInput> {
  const tree = await workspaces.worktree({ kind: 'local', path: repo.dir }, repo.commit, `r${n++}`);
  return {
    program,
    deadlineMs: 60_000,
    apply: async (p) => {
      await applyProgram(tree.dir, p);
      return tree.diff();
    },
  };
}

/** An apply that never finishes by itself: it settles when its signal aborts, and says so. */
function untilAborted(): { input: RecipeInput; aborted: Promise<void> } {
  let aborted!: () => void;
  const seen = new Promise<void>((resolve) => (aborted = resolve));
  const apply = (_: EditProgram, signal: AbortSignal) =>
    new Promise<never>((_resolve, reject) =>
      signal.addEventListener('abort', () => {
        aborted();
        reject(new Error('aborted'));
      }),
    );
  return { input: { program, deadlineMs: 60_000, apply }, aborted: seen };
}

describe('recipe machine', () => {
  it('runs a recipe program without a model (recipe mode)', async () => {
    const actor = createActor(recipeMachine, { input: await inWorktree() });
    actor.start();
    const output = await toPromise(actor);
    expect(actor.getSnapshot().value).toBe('done');
    expect(output).toMatchObject({ ok: true, stop: 'completed', summary: 'recipe changed 2 files' });
    expect(output.files.sort()).toEqual(['src/a.ts', 'src/b.ts']);
    expect(output.diff).toContain("+export const hi = salute('b');");
  });

  it('ends in failed with the error when the program cannot be applied, and keeps no diff', async () => {
    class ProgramBrokeError extends Error {
      override name = 'ProgramBrokeError';
    }
    const logic = recipeMachine.provide({
      actors: { applyProgram: fromPromise(() => Promise.reject(new ProgramBrokeError('no such file'))) },
    });
    const actor = createActor(logic, { input: await inWorktree() });
    actor.start();
    const output = await toPromise(actor);
    expect(actor.getSnapshot().value).toBe('failed');
    expect(output).toMatchObject({
      ok: false,
      stop: 'error',
      diff: '',
      files: [],
      error: { name: 'ProgramBrokeError', message: 'no such file' },
    });
  });

  it('a CANCEL ends it in cancelled and aborts the program', async () => {
    const { input, aborted } = untilAborted();
    const actor = createActor(recipeMachine, { input });
    actor.start();
    expect(actor.getSnapshot().value).toBe('applying');
    actor.send({ type: 'CANCEL' });
    const output = await toPromise(actor);
    await aborted;
    expect(actor.getSnapshot().value).toBe('cancelled');
    expect(output).toMatchObject({ ok: false, stop: 'cancelled', diff: '' });
    expect(output.error).toBeUndefined();
  });

  it('stops at its deadline (the subtask budget of wall time) and aborts the program', async () => {
    const { input, aborted } = untilAborted();
    const actor = createActor(recipeMachine, { input: { ...input, deadlineMs: 20 } });
    actor.start();
    const output = await toPromise(actor);
    await aborted;
    expect(actor.getSnapshot().value).toBe('deadline');
    expect(output).toMatchObject({ ok: false, stop: 'deadline' });
  });
});
