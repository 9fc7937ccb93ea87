import path from 'node:path';
import type { RenameRecipe } from '@baton/protocol';
import { ts } from 'ts-morph';
import { FileNotInRepoError, RenameTargetNotFoundError } from './errors.js';
import { resolveInRepo, writeFileChanges, type FileChange } from './file-change.js';
import { renameLocations, type RenameTarget } from './rename-locations.js';
import { createRenameProject, type RenameProject } from './rename-project.js';
import { applyTextEdits } from './text-edit.js';

/** Options of running a recipe on one shard. */
export interface RecipeRunOptions {
  /** A rename project reused across shards of the same repository. */
  project?: RenameProject;
}

/** A rename over one shard of a repository. */
export interface RenameInFilesInput {
  /** The repository folder; may be left out when `project` is given (a commit snapshot has no folder). */
  root?: string;
  /** The shard: repository-relative files to edit; nothing else is edited. */
  files: readonly string[];
  from: string;
  to: string;
  /** Repository-relative file whose top-level declaration named `from` is the target; when absent every exported top-level declaration named `from` is one. */
  declaredIn?: string;
  /** Also rename whole-word occurrences inside comments. Default false. */
  comments?: boolean;
  /** tsconfig for module resolution, repository-relative. Default `tsconfig.json` when it exists. Ignored with `project`. */
  tsconfig?: string;
  /** A project reused across shards of the same repository (see {@link createRenameProject}); default a fresh one. */
  project?: RenameProject;
}

/**
 * Computes a semantic rename over one shard without writing: a TypeScript program holds only the shard's files (the
 * compiler loads the modules they import, not the whole repository), and each identifier named `from` is renamed
 * when the type checker resolves it, through import/export aliases, to the target declaration.
 * Shorthand properties keep their name (`{ purry }` becomes `{ purry: curryDataFirst }`) because a shard cannot see
 * the readers of that property; TypeScript's rename makes the same choice with `providePrefixAndSuffixTextForRename`.
 * Every shard must see the other files at the same base (its own worktree, or all shards computed before any is written).
 */
export function renameInFiles(input: RenameInFilesInput): { changed: FileChange[] } {
  // A snapshot project carries its own (virtual) root; a folder project must be the folder asked for.
  const renameProject =
    input.project !== undefined && (input.root === undefined || input.project.root === path.resolve(input.root))
      ? input.project
      : createRenameProject(
          path.resolve(input.root ?? '.'),
          input.tsconfig === undefined ? {} : { tsconfig: input.tsconfig },
        );
  const root = renameProject.root;
  const target: RenameTarget = { from: input.from, to: input.to, comments: input.comments ?? false };
  const candidates: { path: string; before: string; absolute: string }[] = [];
  for (const file of input.files) {
    const absolute = resolveInRepo(root, file);
    const before = renameProject.readFile(absolute);
    if (before === undefined) throw new FileNotInRepoError(file);
    // A file that never spells the name has nothing to rename: skip parsing it.
    if (before.includes(input.from)) candidates.push({ path: file, before, absolute });
  }
  if (input.declaredIn !== undefined) target.declaredIn = resolveInRepo(root, input.declaredIn);
  const program = renameProject.program([
    ...candidates.map((c) => c.absolute),
    ...(target.declaredIn === undefined ? [] : [target.declaredIn]),
  ]);
  if (input.declaredIn !== undefined) {
    const declaring = program.getSourceFile(target.declaredIn!);
    if (declaring === undefined || !declaresTopLevel(declaring, input.from))
      throw new RenameTargetNotFoundError(input.from, input.declaredIn);
  }
  const checker = program.getTypeChecker();
  const cache = new Map<ts.Symbol, boolean>();
  const changed: FileChange[] = [];
  for (const candidate of candidates) {
    const sourceFile = program.getSourceFile(candidate.absolute);
    if (sourceFile === undefined) continue;
    const edits = renameLocations(sourceFile, checker, target, cache);
    if (edits.length === 0) continue;
    const after = applyTextEdits(sourceFile.text, edits);
    if (after !== candidate.before) changed.push({ path: candidate.path, before: candidate.before, after });
  }
  return { changed };
}

/** Renames in place over `files` (one shard) and returns the changed paths; see {@link renameInFiles}. */
export async function applyRename(
  root: string,
  recipe: RenameRecipe,
  files: readonly string[],
  options: RecipeRunOptions = {},
): Promise<string[]> {
  const { changed } = renameInFiles({
    ...options,
    root,
    files,
    from: recipe.from,
    to: recipe.to,
    comments: recipe.comments,
    ...(recipe.declaredIn === undefined ? {} : { declaredIn: recipe.declaredIn }),
  });
  return writeFileChanges(root, changed);
}

function declaresTopLevel(sourceFile: ts.SourceFile, name: string): boolean {
  return sourceFile.statements.some((statement) => {
    if (ts.isVariableStatement(statement))
      return statement.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name);
    const declared = ts.getNameOfDeclaration(statement as ts.DeclarationStatement);
    return declared !== undefined && ts.isIdentifier(declared) && declared.text === name;
  });
}
