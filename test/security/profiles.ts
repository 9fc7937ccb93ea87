import type { compilePolicy } from '@baton/policy';

/** A named settings profile the corpus runs under. */
export type Profile = { name: string; config: Parameters<typeof compilePolicy>[0] };

/** Settings a team might really use: nothing, explicit denies, broad allows of whole programs. */
export const PROFILES: readonly Profile[] = [
  { name: 'defaults', config: {} },
  {
    name: 'deny-rules',
    config: {
      deny: [
        'Bash(rm:*)',
        'Bash(curl:*)',
        'Bash(git push:*)',
        'Read(secrets/**)',
        'Read(.env)',
        'Edit(secrets/**)',
        'Edit(src/locked/**)',
      ],
    },
  },
  { name: 'allow-git', config: { allow: ['Bash(git:*)'] } },
  {
    name: 'allow-prefixes',
    config: {
      allow: [
        'Bash(npm test:*)',
        'Bash(git status:*)',
        'Bash(git add:*)',
        'Bash(git commit:*)',
        'Bash(git checkout:*)',
        'Bash(git log:*)',
      ],
    },
  },
  { name: 'allow-rm', config: { allow: ['Bash(rm:*)'] } },
  {
    name: 'allow-broad',
    config: {
      allow: [
        'Bash(git:*)',
        'Bash(rm:*)',
        'Bash(npm:*)',
        'Bash(npx:*)',
        'Bash(node --version)',
        'Bash(sed:*)',
        'Bash(awk:*)',
        'Bash(tar:*)',
        'Bash(sort:*)',
        'Bash(cp:*)',
        'Bash(mv:*)',
        'Bash(ln:*)',
        'Bash(install:*)',
        'Bash(dd:*)',
        'Bash(tee:*)',
        'Bash(touch:*)',
        'Bash(chmod:*)',
        'Bash(chown:*)',
        'Bash(chgrp:*)',
        'Bash(echo:*)',
        'Bash(cat:*)',
        'Bash(find:*)',
        'Bash(xargs:*)',
        'Bash(env:*)',
        'Bash(timeout:*)',
        'Bash(make:*)',
        'Bash(curl:*)',
        'Bash(wget:*)',
        'Bash(mkdir:*)',
        'Bash(tree:*)',
        'Bash(uniq:*)',
        'Bash(printf:*)',
      ],
    },
  },
];

/** Allow rules under which every harmless command must be allowed. */
export const HARMLESS_PROFILE: Profile = {
  name: 'harmless-allows',
  config: {
    allow: [
      'Bash(npm test:*)',
      'Bash(npm run:*)',
      'Bash(npx vitest:*)',
      'Bash(npx tsc:*)',
      'Bash(git add:*)',
      'Bash(git commit:*)',
      'Bash(git push:*)',
      'Bash(git branch:*)',
      'Bash(git checkout:*)',
      'Bash(git switch:*)',
      'Bash(git stash:*)',
      'Bash(git fetch:*)',
      'Bash(mkdir:*)',
      'Bash(rm:*)',
      'Bash(sed:*)',
      'Bash(awk:*)',
      'Bash(tar:*)',
      'Bash(cp:*)',
      'Bash(mv:*)',
      'Bash(touch:*)',
      'Bash(make:*)',
      'Bash(npx prettier:*)',
      'Bash(tsc:*)',
      'Edit(src/**)',
    ],
    deny: ['Read(secrets/**)', 'Bash(curl:*)'],
  },
};
