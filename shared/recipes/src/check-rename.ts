import path from 'node:path';
import { ts } from 'ts-morph';
import {
  AmbiguousRenameError,
  RenameCollisionError,
  RenameSourceNotFoundError,
  RenameTargetNotFoundError,
  type DeclarationSite,
} from './errors.js';
import { resolveInRepo } from './file-change.js';
import { isTargetDeclaration, renameLocations, type RenameTarget } from './rename-locations.js';
import type { RenameProject } from './rename-project.js';

/** What {@link checkRename} looks at. */
export interface CheckRenameInput {
  project: RenameProject;
  /** Repository-relative files searched for the declaration: every source file, whatever the rename's glob. */
  sources: readonly string[];
  /** Repository-relative files the rename edits (its shards together). */
  files: readonly string[];
  from: string;
  to: string;
  declaredIn?: string;
}

const escape = (name: string): string => name.replaceAll('$', '\\$');
const MEANINGS = ts.SymbolFlags.Value | ts.SymbolFlags.Type | ts.SymbolFlags.Namespace | ts.SymbolFlags.Alias;

/**
 * Refuses a rename that cannot be right, before anything runs: `from` declared nowhere (RenameSourceNotFoundError),
 * `declaredIn` not declaring it (RenameTargetNotFoundError), `from` declared in several files with no `declaredIn`
 * (AmbiguousRenameError, listing them), or `to` colliding with a name already declared or imported in a scope the
 * rename writes it into, or already exported by a module that would export it (RenameCollisionError, naming both
 * places). Cheap on a repository of any size: only files whose text declares `from`, or holds both names, are parsed.
 * @throws the errors above; returns the declaring files' sites when the rename can go ahead.
 */
export function checkRename(input: CheckRenameInput): DeclarationSite[] {
  const { project, from, to } = input;
  const root = project.root;
  const absolute = (file: string): string => resolveInRepo(root, file);
  const relative = (file: string): string => path.relative(root, file).split(path.sep).join('/');
  const textOf = (file: string): string => project.readFile(absolute(file)) ?? '';
  const target: RenameTarget = { from, to, comments: false };
  if (input.declaredIn !== undefined) target.declaredIn = absolute(input.declaredIn);

  const declares = new RegExp(
    `(?:function\\s*\\*?|class|const|let|var|interface|type|enum|namespace|module)\\s+${escape(from)}(?![\\w$])`,
  );
  const declaring =
    input.declaredIn !== undefined ? [input.declaredIn] : input.sources.filter((f) => declares.test(textOf(f)));
  const sites = declarationSites(project.program(declaring.map(absolute)), declaring.map(absolute), target, relative);
  if (sites.length === 0) {
    if (input.declaredIn !== undefined) throw new RenameTargetNotFoundError(from, input.declaredIn);
    throw new RenameSourceNotFoundError(from, input.sources.length);
  }
  if (input.declaredIn === undefined && new Set(sites.map((s) => s.file)).size > 1)
    throw new AmbiguousRenameError(from, sites);

  const both = new RegExp(`(?<![\\w$])${escape(to)}(?![\\w$])`);
  const has = new RegExp(`(?<![\\w$])${escape(from)}(?![\\w$])`);
  const touched = new Set([
    ...sites.map((s) => s.file),
    ...input.files.filter((f) => {
      const text = textOf(f);
      return has.test(text) && both.test(text);
    }),
  ]);
  const program = project.program([...touched].map(absolute));
  const collision = findCollision(program, [...touched].map(absolute), target, relative, root);
  if (collision !== undefined) throw new RenameCollisionError(to, collision.at, collision.existing);
  return sites;
}

/** The top-level declarations of `from` that the rename targets, one site per declaration. */
function declarationSites(
  program: ts.Program,
  files: readonly string[],
  target: RenameTarget,
  relative: (file: string) => string,
): DeclarationSite[] {
  const checker = program.getTypeChecker();
  const sites: DeclarationSite[] = [];
  for (const file of files) {
    const sourceFile = program.getSourceFile(file);
    if (sourceFile === undefined) continue;
    for (const statement of sourceFile.statements) {
      const declarations = ts.isVariableStatement(statement)
        ? statement.declarationList.declarations
        : [statement as ts.DeclarationStatement];
      for (const declaration of declarations)
        if (isTargetDeclaration(declaration, checker, target))
          sites.push({ file: relative(file), line: lineOf(sourceFile, declaration) });
    }
  }
  return sites;
}

/** The first place where `to`, written by the rename, would meet another `to` already there. */
function findCollision(
  program: ts.Program,
  files: readonly string[],
  target: RenameTarget,
  relative: (file: string) => string,
  root: string,
): { at: DeclarationSite; existing: DeclarationSite } | undefined {
  const checker = program.getTypeChecker();
  const isTarget = (symbol: ts.Symbol): boolean => {
    const resolved = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    return (resolved.declarations ?? []).some((d) => isTargetDeclaration(d, checker, target));
  };
  /** Where `symbol` is declared, when that is in the repository (not the stand-in lib) and it is not the target. */
  const other = (symbol: ts.Symbol | undefined): DeclarationSite | undefined => {
    if (symbol === undefined || isTarget(symbol)) return undefined;
    const declaration = symbol.declarations?.find(
      (d) => !path.relative(root, d.getSourceFile().fileName).startsWith('..'),
    );
    return declaration === undefined
      ? undefined
      : {
          file: relative(declaration.getSourceFile().fileName),
          line: lineOf(declaration.getSourceFile(), declaration),
        };
  };
  const exportedAlready = (sourceFile: ts.SourceFile): DeclarationSite | undefined => {
    const module = checker.getSymbolAtLocation(sourceFile);
    return module === undefined
      ? undefined
      : other(checker.getExportsOfModule(module).find((e) => e.name === target.to));
  };
  const cache = new Map<ts.Symbol, boolean>();
  for (const file of files) {
    const sourceFile = program.getSourceFile(file);
    if (sourceFile === undefined) continue;
    const edits = new Map(renameLocations(sourceFile, checker, target, cache).map((e) => [e.start, e.text]));
    if (edits.size === 0) continue;
    let found: { at: DeclarationSite; existing: DeclarationSite } | undefined;
    const visit = (node: ts.Node): void => {
      if (found !== undefined) return;
      if (!ts.isIdentifier(node)) return ts.forEachChild(node, visit);
      const text = edits.get(node.getStart());
      // `const { from } = x` becomes `const { to: from } = x`: a property read, no new binding.
      if (text === undefined || text === `${target.to}: ${target.from}`) return;
      const parent = node.parent;
      let existing: DeclarationSite | undefined;
      if (ts.isPropertyAccessExpression(parent) && parent.name === node)
        existing = other(checker.getTypeAtLocation(parent.expression).getProperty(target.to));
      else if (ts.isExportSpecifier(parent) && parent.name === node) existing = exportedAlready(sourceFile);
      else if (ts.isExportSpecifier(parent) || (ts.isImportSpecifier(parent) && parent.propertyName === node))
        existing = undefined; // another module's export name: checked where that module declares it
      else {
        existing = other(checker.getSymbolsInScope(node, MEANINGS).find((s) => s.name === target.to));
        if (existing === undefined && isTopLevelDeclarationName(node)) existing = exportedAlready(sourceFile);
      }
      if (existing !== undefined) found = { at: { file: relative(file), line: lineOf(sourceFile, node) }, existing };
    };
    visit(sourceFile);
    if (found !== undefined) return found;
  }
  return undefined;
}

function isTopLevelDeclarationName(node: ts.Identifier): boolean {
  const declaration = node.parent;
  const statement = ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration;
  return ts.getNameOfDeclaration(declaration as ts.Declaration) === node && ts.isSourceFile(statement.parent);
}

function lineOf(sourceFile: ts.SourceFile, node: ts.Node): number {
  return sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
}
