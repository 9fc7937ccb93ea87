#!/usr/bin/env node
// Copies non-TypeScript assets that code loads at run time (prompt .md files beside their agent)
// from src/ to dist/ of every package, or of the packages given as arguments. tsc does not copy them.
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const packages =
  process.argv.length > 2
    ? process.argv.slice(2)
    : ['shared', 'services'].flatMap((group) => readdirSync(join(root, group)).map((name) => join(root, group, name)));

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.md')) out.push(path);
  }
  return out;
}

for (const pkg of packages) {
  const src = join(pkg, 'src');
  if (!existsSync(src)) continue;
  for (const file of walk(src)) cpSync(file, join(pkg, 'dist', relative(src, file)));
}
