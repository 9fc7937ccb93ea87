import picomatch from 'picomatch';

/** The extensions a rename or codemod covers with no glob: TypeScript and JavaScript, in every module flavour. */
export const RECIPE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;

/**
 * Folders whose files are generated, installed or vendored, not written by the project: a recipe never edits them
 * (a rename there would be overwritten by the next build or install), unless its glob names the folder itself.
 */
export const SKIPPED_FOLDERS = [
  'node_modules',
  'bower_components',
  'jspm_packages',
  'vendor',
  'third_party',
  'dist',
  'build',
  'out',
  'coverage',
  '.next',
  '.nuxt',
  '.svelte-kit',
  '.turbo',
  '.cache',
  '.yarn',
  '.pnpm-store',
  '.git',
] as const;

/** The glob a rename or codemod recipe takes when none is given: every file with a {@link RECIPE_EXTENSIONS} extension. */
export const DEFAULT_RECIPE_GLOB = `**/*.{${RECIPE_EXTENSIONS.map((e) => e.slice(1)).join(',')}}`;

const SKIPPED = new Set<string>(SKIPPED_FOLDERS);

/**
 * Which repository-relative files a rename or codemod recipe takes: with no `glob`, every TypeScript and JavaScript
 * file ({@link DEFAULT_RECIPE_GLOB}); with one, the files it matches (it narrows). Either way files inside a
 * {@link SKIPPED_FOLDERS} folder are left out, except under a folder the glob spells out (`vendor/**` keeps `vendor`).
 * @example recipeFileFilter(undefined)('src/a.mjs') === true; recipeFileFilter(undefined)('dist/a.js') === false
 */
export function recipeFileFilter(glob: string | undefined): (file: string) => boolean {
  // No `dot`: `**` does not enter dot-folders (`.github`, `.storybook`) unless the glob names them, as before.
  const matches = picomatch(glob ?? DEFAULT_RECIPE_GLOB);
  const named = new Set(glob === undefined ? [] : glob.split('/').filter((part) => SKIPPED.has(part)));
  return (file) => {
    if (!matches(file)) return false;
    const folders = file.split('/').slice(0, -1);
    return !folders.some((folder) => SKIPPED.has(folder) && !named.has(folder));
  };
}
