import { z } from 'zod';

/** The kinds of recipe: deterministic changes planned without a model. */
export const RecipeKind = { rename: 'rename', codemod: 'codemod', command: 'command' } as const;
/** A kind of recipe. */
export type RecipeKind = (typeof RecipeKind)[keyof typeof RecipeKind];

/** A repository-relative glob. */
export const RepoGlob = z.string().min(1).max(1000);

/**
 * Words that cannot name a declaration in a module (ECMAScript reserved words, strict-mode future reserved words,
 * `await` in modules, and `arguments`/`eval`, which strict code cannot bind).
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set(
  [
    'break case catch class const continue debugger default delete do else enum export extends false finally for',
    'function if import in instanceof new null return super switch this throw true try typeof var void while with',
    'implements interface let package private protected public static yield await arguments eval',
  ].flatMap((line) => line.split(' ')),
);

/** An identifier a rename can use: its syntax, and not a reserved word (`--to class` cannot be declared). */
const RenameIdentifier = z
  .string()
  .regex(/^[A-Za-z_$][\w$]*$/, 'must be an identifier')
  .refine((name) => !RESERVED_WORDS.has(name), {
    error: (issue) => `${String(issue.input)} is a reserved word: no declaration can have that name`,
  });

/**
 * Rename an identifier semantically (TypeScript and JavaScript symbols), in files matching `glob`; with no glob, every
 * tracked `.ts .tsx .mts .cts .js .jsx .mjs .cjs` file outside generated and vendored folders (`@baton/recipes`).
 */
export const RenameRecipe = z.strictObject({
  kind: z.literal(RecipeKind.rename),
  from: RenameIdentifier,
  to: RenameIdentifier,
  /** Narrows the files; absent: every TypeScript and JavaScript file outside generated and vendored folders. */
  glob: RepoGlob.optional(),
  /** Declaration file of the target symbol (repository-relative); when absent every top-level declaration named `from` is a target. */
  declaredIn: z.string().optional(),
  /** Also rename the name inside comments. */
  comments: z.boolean().default(false),
});

/** Apply a codemod: a transform module (default export `(source, path) => string`) or a shell command per shard (`{files}` expands to the shard's files). */
export const CodemodRecipe = z
  .strictObject({
    kind: z.literal(RecipeKind.codemod),
    /** Narrows the files; absent: every TypeScript and JavaScript file outside generated and vendored folders. */
    glob: RepoGlob.optional(),
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
