/**
 * The `baton` binary run from TypeScript source (what bin/baton.js does with dist/), so the CLI's
 * tests exercise the code as checked out, never a stale build:
 * `node --import tsx --conditions=@baton/source services/cli/src/bin-source.ts <command> …`.
 */
import { runCli } from './main.js';

process.exitCode = await runCli(process.argv);
