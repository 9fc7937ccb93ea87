import type { HostileCommand } from './hostile-commands.js';

/** Cases of one category with one expectation (and optionally only under some profiles). */
export const hostileLines = (
  expect: 'deny' | 'not-allow',
  category: string,
  commands: string[],
  profiles?: string[],
): HostileCommand[] =>
  commands.map((command) =>
    profiles === undefined ? { command, category, expect } : { command, category, expect, profiles },
  );
