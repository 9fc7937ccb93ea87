import { z } from 'zod';

/** The kinds of recipe: deterministic changes planned without a model. */
export const RecipeKind = { rename: 'rename', codemod: 'codemod', command: 'command' } as const;
/** A kind of recipe. */
export type RecipeKind = (typeof RecipeKind)[keyof typeof RecipeKind];

/** A repository-relative glob. */
export const RepoGlob = z.string().min(1).max(1000);

/** Rename an identifier semantically (TypeScript symbols), in files matching `glob`. */
export const RenameRecipe = z.strictObject({
  kind: z.literal(RecipeKind.rename),
  from: z.string().regex(/^[A-Za-z_$][\w$]*$/, 'must be an identifier'),
  to: z.string().regex(/^[A-Za-z_$][\w$]*$/, 'must be an identifier'),
  glob: RepoGlob.default('**/*.{ts,tsx,mts,cts}'),
  /** Declaration file of the target symbol (repository-relative); when absent every top-level declaration named `from` is a target. */
  declaredIn: z.string().optional(),
  /** Also rename the name inside comments. */
  comments: z.boolean().default(false),
});

/** Apply a codemod: a transform module (default export `(source, path) => string`) or a shell command per shard (`{files}` expands to the shard's files). */
export const CodemodRecipe = z
  .strictObject({
    kind: z.literal(RecipeKind.codemod),
    glob: RepoGlob,
    module: z.string().optional(),
    command: z.string().optional(),
  })
  .refine((r) => (r.module === undefined) !== (r.command === undefined), {
    message: 'codemod needs exactly one of module or command',
  });

/** Run a command in every package matching `packages` (folders with a package.json). */
export const CommandRecipe = z.strictObject({
  kind: z.literal(RecipeKind.command),
  command: z.string().min(1),
  packages: RepoGlob.default('**'),
});

/** A recipe: a deterministic change planned without a model. */
export const Recipe = z.discriminatedUnion('kind', [RenameRecipe, CodemodRecipe, CommandRecipe]);
/** A recipe. */
export type Recipe = z.infer<typeof Recipe>;
/** A rename recipe. */
export type RenameRecipe = z.infer<typeof RenameRecipe>;
/** A codemod recipe. */
export type CodemodRecipe = z.infer<typeof CodemodRecipe>;
/** A command recipe. */
export type CommandRecipe = z.infer<typeof CommandRecipe>;
