/** The symbol every generated repository is built around, and the rename the demo and benchmarks apply to it. */
export const sampleRenameTarget = {
  from: 'purry',
  to: 'curryDataFirst',
  declaredIn: 'packages/pkg-00/src/internal/purry.ts',
} as const;

/** The fixed files of pkg-00, the package that declares the target. */
export const corePackageFiles = {
  purry: 'packages/pkg-00/src/internal/purry.ts',
  alias: 'packages/pkg-00/src/internal/alias.ts',
  math: 'packages/pkg-00/src/math.ts',
  index: 'packages/pkg-00/src/index.ts',
  test: 'packages/pkg-00/test/pkg-00.test.ts',
} as const;
