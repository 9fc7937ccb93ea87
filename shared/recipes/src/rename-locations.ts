import path from 'node:path';
import { ts } from 'ts-morph';
import type { TextEdit } from './text-edit.js';

/** What a rename looks for: the name, its replacement and, optionally, the one file that declares it. */
export interface RenameTarget {
  from: string;
  to: string;
  /** Absolute path of the declaring file; when absent every exported top-level declaration named `from` is a target. */
  declaredIn?: string;
  comments: boolean;
}

/**
 * Finds the edits that rename `target` inside one source file: every identifier named `from` whose symbol, followed
 * through import and export aliases, is a target declaration. Strings, module specifiers and unrelated bindings
 * with the same name (shadowing locals, parameters, object properties) are left alone.
 */
export function renameLocations(
  sourceFile: ts.SourceFile,
  checker: ts.TypeChecker,
  target: RenameTarget,
  cache: Map<ts.Symbol, boolean>,
): TextEdit[] {
  const edits: TextEdit[] = [];
  const isTarget = (symbol: ts.Symbol | undefined): boolean => {
    if (symbol === undefined) return false;
    const resolved = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    let verdict = cache.get(resolved);
    if (verdict === undefined) {
      verdict = (resolved.declarations ?? []).some((d) => isTargetDeclaration(d, checker, target));
      cache.set(resolved, verdict);
    }
    return verdict;
  };
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      if (node.text === target.from) {
        const edit = identifierEdit(node, checker, target, isTarget);
        if (edit !== undefined) edits.push(edit);
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  if (target.comments) edits.push(...commentEdits(sourceFile, target));
  return edits;
}

function identifierEdit(
  id: ts.Identifier,
  checker: ts.TypeChecker,
  target: RenameTarget,
  isTarget: (s: ts.Symbol | undefined) => boolean,
): TextEdit | undefined {
  const at = (text: string): TextEdit => ({ start: id.getStart(), end: id.getEnd(), text });
  const parent = id.parent;
  // `{ purry }` is both a property and a reference: keep the property name, which other shards may read as `x.purry`.
  if (ts.isShorthandPropertyAssignment(parent) && parent.name === id) {
    return isTarget(checker.getShorthandAssignmentValueSymbol(parent)) ? at(`${target.from}: ${target.to}`) : undefined;
  }
  // `const { purry } = core`: the local binding is new, but the property it reads is the target's export.
  if (
    ts.isBindingElement(parent) &&
    parent.name === id &&
    parent.propertyName === undefined &&
    ts.isObjectBindingPattern(parent.parent)
  ) {
    const property = checker.getTypeAtLocation(parent.parent).getProperty(target.from);
    return isTarget(property) ? at(`${target.to}: ${target.from}`) : undefined;
  }
  if (
    ts.isExportSpecifier(parent) &&
    parent.parent.parent.moduleSpecifier === undefined &&
    (parent.propertyName ?? parent.name) === id
  ) {
    return isTarget(checker.getExportSpecifierLocalTargetSymbol(parent)) ? at(target.to) : undefined;
  }
  return isTarget(checker.getSymbolAtLocation(id)) ? at(target.to) : undefined;
}

/** Whether `declaration` is one the rename targets: named `from`, top-level, exported (or in `declaredIn`). */
export function isTargetDeclaration(
  declaration: ts.Declaration,
  checker: ts.TypeChecker,
  target: RenameTarget,
): boolean {
  const name = ts.getNameOfDeclaration(declaration);
  if (name === undefined || !ts.isIdentifier(name) || name.text !== target.from) return false;
  const sourceFile = declaration.getSourceFile();
  if (target.declaredIn !== undefined && path.resolve(sourceFile.fileName) !== target.declaredIn) return false;
  const statement = ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration;
  if (statement.parent !== sourceFile) return false;
  // With a declaring file named, any top-level declaration there is the target; without, only exported ones are.
  if (target.declaredIn !== undefined) return true;
  if (ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Export) return true;
  // Declared locally and exported later (`export { purry }`, `export default purry`).
  const module = checker.getSymbolAtLocation(sourceFile);
  const symbol = checker.getSymbolAtLocation(name);
  if (module === undefined || symbol === undefined) return false;
  return checker
    .getExportsOfModule(module)
    .some((e) => (e.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(e) : e) === symbol);
}

function commentEdits(sourceFile: ts.SourceFile, target: RenameTarget): TextEdit[] {
  const text = sourceFile.text;
  const seen = new Set<number>();
  const edits: TextEdit[] = [];
  const word = new RegExp(`(?<![\\w$])${target.from.replaceAll('$', '\\$')}(?![\\w$])`, 'g');
  const collect = (ranges: ts.CommentRange[] | undefined): void => {
    for (const range of ranges ?? []) {
      if (seen.has(range.pos)) continue;
      seen.add(range.pos);
      for (const match of text.slice(range.pos, range.end).matchAll(word)) {
        const start = range.pos + match.index;
        edits.push({ start, end: start + target.from.length, text: target.to });
      }
    }
  };
  const visit = (node: ts.Node): void => {
    collect(ts.getLeadingCommentRanges(text, node.pos));
    collect(ts.getTrailingCommentRanges(text, node.end));
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  collect(ts.getLeadingCommentRanges(text, sourceFile.endOfFileToken.pos));
  return edits;
}
