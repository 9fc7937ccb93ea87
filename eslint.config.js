// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

const services = ['planner', 'coordinator', 'worker', 'dashboard', 'cli'];
const deepImports = {
  group: ['@baton/*/*'],
  message: 'Import a package through its public entry point (src/index.ts), never a deep path.',
};
const servicePattern = (names, why) => ({ group: names.map((n) => `@baton/${n}`), message: why });

/** Layer rule: protocol <- log <- bus/model/tools/policy/recipes <- services (git, beside them, imports no @baton package); services never import each other; only the cli composes them. */
const layers = [
  {
    files: ['shared/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            deepImports,
            { group: ['@baton/*'], message: 'protocol is the bottom layer: it imports zod only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/log/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            deepImports,
            { group: ['@baton/*', '!@baton/protocol'], message: 'log may import only @baton/protocol.' },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/git/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            deepImports,
            {
              group: ['@baton/*'],
              message: 'git runs git for every package: it imports execa only, no @baton package.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/protocol/**', 'shared/log/**', 'shared/git/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [deepImports, servicePattern(services, 'shared libraries never import services.')] },
      ],
    },
  },
  ...services
    .filter((s) => s !== 'cli')
    .map((s) => ({
      files: [`services/${s}/**/*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              deepImports,
              servicePattern(
                services.filter((o) => o !== s),
                `a service never imports another service (${s}); the cli composes them.`,
              ),
            ],
          },
        ],
      },
    })),
  {
    files: ['services/cli/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [deepImports] }] },
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'docs/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
      '.nx/**',
      '**/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': [
        'error',
        { 'ts-ignore': true, 'ts-expect-error': 'allow-with-description' },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-empty': ['error', { allowEmptyCatch: false }],
      'import-x/no-cycle': ['error', { maxDepth: 3, ignoreExternal: true }],
    },
    settings: { 'import-x/resolver': { node: true } },
  },
  ...layers,
  {
    files: ['**/*.ts'],
    ignores: ['shared/git/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.name=/^(execa|execaSync|execaNode|spawn|spawnSync|execFile|execFileSync|exec|execSync)$/][arguments.0.value='git']",
          message:
            'Run git through @baton/git (runGit, runGitScript or an operation): it scrubs GIT_* and switches off programs from config.',
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/unbound-method': 'off' },
  },
);
