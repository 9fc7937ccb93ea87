import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { getProcessor } from 'sh-syntax';
import type { File } from 'sh-syntax';

/** The part of the WebAssembly API used here (the project's `lib` setting does not declare its global). */
interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: unknown): Promise<object>;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: Promise<object> | undefined;

/**
 * sh-syntax's processor with its WebAssembly module compiled once: its own `parse` compiles the module again on
 * every call. Each call still gets a fresh instance, so a trap in one (deep nesting) never poisons the next.
 */
const processor = getProcessor((importObject: unknown) => {
  compiled ??= readFile(createRequire(import.meta.url).resolve('sh-syntax/main.wasm')).then((bytes) =>
    wasm.compile(bytes),
  );
  return compiled.then((module) => wasm.instantiate(module, importObject));
});

/**
 * Parses bash with mvdan/sh (sh-syntax); throws its `ParseError`/`SyntaxError` on invalid input.
 * @example (await parseShellSyntax('a; b')).Stmts.length // 2
 */
export function parseShellSyntax(text: string): Promise<File> {
  return processor(text);
}
