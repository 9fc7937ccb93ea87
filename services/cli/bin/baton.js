#!/usr/bin/env node
// The `baton` binary: runs the compiled CLI (built by `npm ci` through the root `prepare` script).
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error(
    'baton: the CLI is not built yet. Run `npm run build` at the repository root (npm ci does it for you).',
  );
  process.exit(2);
}
const { runCli } = await import(main.href);
process.exitCode = await runCli(process.argv);
