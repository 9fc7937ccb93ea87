/**
 * The project memory files (conventions for agents) Baton reads into the planner's and the agents' prompts.
 * `.baton/memory.md` is Baton's own and is read at the repository root only.
 */
export const MemoryFile = { claude: 'CLAUDE.md', agents: 'AGENTS.md', baton: '.baton/memory.md' } as const;
/** A project memory file name. */
export type MemoryFile = (typeof MemoryFile)[keyof typeof MemoryFile];

/** Every project memory file, in the order they are read into a prompt. */
export const MEMORY_FILES: readonly MemoryFile[] = Object.values(MemoryFile);
