import { RunSpec, type RunSpecInput } from '@baton/protocol';
import { AmbiguousRenameError } from '@baton/recipes';
import { describe, expect, it } from 'vitest';
import { createGitFixture } from '../test/git-fixture.js';
import { checkRecipe } from './check-recipe.js';
import { RecipeRefusedError } from './errors.js';

describe('checkRecipe', () => {
  it('refuses an ambiguous rename at the base commit, takes a declaredIn outside a narrowing glob, checks nothing else', async () => {
    await using repo = await createGitFixture({
      'core/purry.ts': 'export function purry(): number {\n  return 1;\n}\n',
      'app/use.ts': "import { purry } from '../core/purry.js';\nexport const one = purry();\n",
      'tools/purry.mjs': 'export const purry = 2;\n',
      // generated and vendored copies are not declarations of the project
      'dist/purry.js': 'export function purry() {}\n',
      'vendor/purry.js': 'export function purry() {}\n',
    });
    const check = (recipe: RunSpecInput['recipe']) =>
      checkRecipe({
        spec: RunSpec.parse({ v: 1, repo: { path: repo.dir }, recipe }),
        repoPath: repo.dir,
        baseCommit: repo.commit,
      });
    const refused = check({ kind: 'rename', from: 'purry', to: 'curry' });
    await expect(refused).rejects.toBeInstanceOf(RecipeRefusedError);
    await expect(refused).rejects.toThrow('purry is declared in 2 places');
    await expect(refused.catch((e: RecipeRefusedError) => e.cause)).resolves.toBeInstanceOf(AmbiguousRenameError);
    await expect(
      check({ kind: 'rename', from: 'purry', to: 'curry', declaredIn: 'core/purry.ts', glob: 'app/**' }),
    ).resolves.toBeUndefined();
    await expect(check({ kind: 'command', command: 'true' })).resolves.toBeUndefined();
  });
});
