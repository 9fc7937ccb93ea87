import { describe, expect, it } from 'vitest';
import { AgentKind, AgentKindSchema } from './plan.js';
import { MEMORY_FILES, MemoryFile } from './memory-file.js';
import { Recipe, RecipeKind } from './recipe.js';

describe('closed sets defined once', () => {
  it('the Recipe schema accepts exactly the RecipeKind kinds', () => {
    const kinds = Recipe.options.map((option) => option.shape.kind.value);
    expect(kinds).toEqual(Object.values(RecipeKind));
    expect(Recipe.safeParse({ kind: 'sed', command: 'x' }).success).toBe(false);
  });

  it('AgentKindSchema is the AgentKind set', () => {
    expect(AgentKindSchema.options).toEqual(Object.values(AgentKind));
  });

  it('memory files are read root conventions first, Baton memory last', () => {
    expect(MEMORY_FILES).toEqual(['CLAUDE.md', 'AGENTS.md', '.baton/memory.md']);
    expect(MEMORY_FILES.at(-1)).toBe(MemoryFile.baton);
  });
});
