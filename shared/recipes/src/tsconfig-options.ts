import path from 'node:path';
import { ts } from 'ts-morph';

/** How a tsconfig is read: from disk, or from a commit snapshot held in memory. */
export type ConfigIo = Pick<ts.CompilerHost, 'fileExists' | 'readFile'>;

/** A tsconfig's compiler options (following `extends`), without listing its files: only module resolution is needed. */
export function readCompilerOptions(tsconfig: string, io: ConfigIo | undefined): ts.CompilerOptions {
  const fileExists = (file: string): boolean => (io ? io.fileExists(file) : ts.sys.fileExists(file));
  const readFile = (file: string): string | undefined => (io ? io.readFile(file) : ts.sys.readFile(file));
  const read = ts.readConfigFile(tsconfig, readFile);
  const config: unknown = read.config;
  if (config === undefined) return {};
  const host: ts.ParseConfigHost = {
    useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
    readDirectory: () => [],
    fileExists,
    readFile,
  };
  return ts.parseJsonConfigFileContent(config, host, path.dirname(tsconfig), undefined, tsconfig).options;
}
