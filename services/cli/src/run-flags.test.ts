import { RecipeKind } from '@baton/protocol';
import { describe, expect, it } from 'vitest';
import { buildProgram } from './main.js';
import type { RunFlags } from './run-flags.js';
import { runSpecFromFlags } from './run-spec-from-flags.js';

/** What `baton <argv>` hands its command's action: the task and the parsed flags (the real handler is not run). */
async function parse(argv: readonly string[]): Promise<{ task: string | undefined; flags: RunFlags }> {
  const program = buildProgram();
  const command = program.commands.find((c) => c.name() === argv[0])!;
  let seen: { task: string | undefined; flags: RunFlags } | undefined;
  command.action((task: string | undefined, flags: RunFlags) => {
    seen = { task, flags };
  });
  await program.parseAsync(['node', 'baton', ...argv]);
  if (!seen) throw new Error(`baton ${argv.join(' ')}: the action did not run`);
  return seen;
}

const rename = ['--recipe', 'rename', '--from', 'X', '--to', 'Y'];

describe('the run flags, declared once for baton run and baton submit', () => {
  it.each([
    ['run', []],
    ['submit', ['--nats', 'nats://127.0.0.1:4222']],
  ])('baton %s: --test takes one command per use and the task after it is read', async (name, extra) => {
    const { task, flags } = await parse([
      name,
      ...extra,
      '--test',
      'npm test',
      '--test',
      'npx tsc',
      'rename X to Y',
      ...rename,
    ]);
    expect(task).toBe('rename X to Y');
    expect(flags.test).toEqual(['npm test', 'npx tsc']);
    const spec = runSpecFromFlags(task, flags);
    expect(spec).toMatchObject({ task: 'rename X to Y', testCommands: ['npm test', 'npx tsc'] });
    expect(spec.recipe).toMatchObject({ kind: 'rename', from: 'X', to: 'Y' });
  });

  it('baton submit takes the flags it lacked before (--module, --declared-in, --packages, --allow-dirty)', async () => {
    const { flags } = await parse([
      'submit',
      '--nats',
      'nats://127.0.0.1:4222',
      '--recipe',
      'command',
      '--command',
      'npm run lint',
      '--packages',
      'packages/*',
      '--declared-in',
      'src/a.ts',
      '--module',
      'm.mjs',
      '--allow-dirty',
    ]);
    expect(flags).toMatchObject({
      recipe: 'command',
      command: 'npm run lint',
      packages: 'packages/*',
      declaredIn: 'src/a.ts',
      module: 'm.mjs',
      allowDirty: true,
    });
  });

  it('--recipe offers the protocol recipe kinds', () => {
    const run = buildProgram().commands.find((c) => c.name() === 'run')!;
    const recipe = run.options.find((o) => o.long === '--recipe')!;
    expect(recipe.argChoices).toEqual(Object.values(RecipeKind));
  });
});
